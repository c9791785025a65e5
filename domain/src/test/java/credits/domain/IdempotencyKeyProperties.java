package credits.domain;

import credits.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static credits.testing.Gen.oneOf;
import static credits.testing.PropertyCheck.forAll;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The idempotency key rule, narrower than a user id's: 1–255 printable ASCII characters, no spaces. */
class IdempotencyKeyProperties {

    private static final char FIRST_PRINTABLE = '!';
    private static final char LAST_PRINTABLE = '~';

    @Test
    void everyKeyOfOneTo255PrintableAsciiCharactersIsAcceptedAndKeptExactlyAsSent() {
        forAll(500, allowedKeys()).check(key -> assertThat(new IdempotencyKey(key).value(), is(key)));
    }

    @Test
    void anyStringIsAcceptedExactlyWhenTheRuleAllowsItAndOtherwiseRefusedWithNothingButInvalidValue() {
        BothOutcomes.check(forAll(1000, anyText()), text -> {
            boolean allowed = allowedByTheRule(text);
            if (allowed) {
                assertThat(new IdempotencyKey(text).value(), is(text));
            } else {
                assertThrows(InvalidValueException.class, () -> new IdempotencyKey(text));
            }
            return allowed;
        });
    }

    private static boolean allowedByTheRule(String text) {
        return text != null && !text.isEmpty() && text.length() <= IdempotencyKey.MAX_LENGTH
                && text.chars().allMatch(c -> c >= FIRST_PRINTABLE && c <= LAST_PRINTABLE);
    }

    private static Gen<String> allowedKeys() {
        Gen<Character> printable = Gen.chars(FIRST_PRINTABLE, LAST_PRINTABLE);
        return oneOf(
                Gen.strings(printable, 1, IdempotencyKey.MAX_LENGTH),
                Gen.strings(printable, IdempotencyKey.MAX_LENGTH, IdempotencyKey.MAX_LENGTH),
                random -> new UUID(random.nextLong(), random.nextLong()).toString());
    }

    private static Gen<String> anyText() {
        Gen<Character> latin1 = Gen.chars('\u0000', '\u00ff');
        return oneOf(
                Gen.strings(Gen.chars('\u0000', '\uffff'), 0, 300).orNull(0.05),
                Gen.strings(latin1, 0, 300),
                Gen.strings(Gen.chars(' ', '\u007f'), 250, 260),
                Gen.ints(1_000, 100_000).map("k"::repeat),
                allowedKeys(),
                // An allowed key with one character put in: mostly a near miss, sometimes still allowed.
                allowedKeys().flatMap(key -> latin1.flatMap(c -> Gen.ints(0, 300).map(at -> {
                    int where = at % (key.length() + 1);
                    return key.substring(0, where) + c + key.substring(where);
                }))));
    }
}
