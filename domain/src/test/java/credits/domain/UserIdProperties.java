package credits.domain;

import credits.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static credits.testing.Gen.oneOf;
import static credits.testing.Gen.weight;
import static credits.testing.PropertyCheck.forAll;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The user id rule (api.md, {@link UserId}): 1–255 characters counted as code points, no control
 * characters, valid Unicode. The oracle below is written from the rule, not from the code.
 */
class UserIdProperties {

    @Test
    void everyIdTheContractAllowsIsAcceptedAndKeptExactlyAsSent() {
        forAll(500, allowedIds()).check(id -> {
            assertThat(new UserId(id).value(), is(id));
            assertThat(UserId.of(id).toString(), is(id));
        });
    }

    @Test
    void idOfMoreThan255CharactersIsRefusedNamingTheUserId() {
        forAll(300, tooLongIds()).check(UserIdProperties::assertRefused);
    }

    @Test
    void idWithAControlCharacterAnywhereIsRefusedNamingTheUserId() {
        forAll(300, idsWithAControlCharacter()).check(UserIdProperties::assertRefused);
    }

    @Test
    void idWithALoneSurrogateAnywhereIsRefusedNamingTheUserId() {
        forAll(300, idsWithALoneSurrogate()).check(UserIdProperties::assertRefused);
    }

    @Test
    void anyStringIsAcceptedExactlyWhenTheRuleAllowsItAndOtherwiseRefusedWithNothingButInvalidValue() {
        BothOutcomes.check(forAll(1000, anyText()), text -> {
            boolean allowed = allowedByTheRule(text);
            if (allowed) {
                assertThat(new UserId(text).value(), is(text));
            } else {
                assertRefused(text);
            }
            return allowed;
        });
    }

    private static void assertRefused(String id) {
        // assertThrows fails on any other exception type, so nothing unchecked can slip through.
        InvalidValueException refused = assertThrows(InvalidValueException.class, () -> new UserId(id));
        assertThat(refused.getMessage(), startsWith("user id "));
    }

    /** The rule as api.md states it, over code points; a lone surrogate shows up as a code point in D800–DFFF. */
    static boolean allowedByTheRule(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        int[] codePoints = text.codePoints().toArray();
        return codePoints.length <= UserId.MAX_LENGTH
                && Arrays.stream(codePoints).noneMatch(cp -> Character.isISOControl(cp) || isSurrogate(cp));
    }

    private static boolean isSurrogate(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }

    // ---- generators ------------------------------------------------------------------------------------

    private static final Gen<Integer> SUPPLEMENTARY = Gen.uniformInts(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT);

    /** Code points an id may hold: mostly ASCII, then the rest of the BMP, then supplementary planes (emoji etc.). */
    static Gen<Integer> allowedCodePoints() {
        return Gen.frequency(List.of(
                weight(6, Gen.uniformInts(0x20, 0x7E)),
                weight(2, Gen.uniformInts(0xA0, Character.MIN_SURROGATE - 1)),
                weight(1, Gen.uniformInts(Character.MAX_SURROGATE + 1, 0xFFFF)),
                weight(2, SUPPLEMENTARY)));
    }

    static Gen<String> idsOfLength(int min, int max) {
        return Gen.codePoints(allowedCodePoints(), min, max);
    }

    private static Gen<String> allowedIds() {
        return oneOf(
                idsOfLength(1, 20),
                idsOfLength(1, UserId.MAX_LENGTH),
                idsOfLength(UserId.MAX_LENGTH, UserId.MAX_LENGTH),
                // 255 characters outside the BMP are 510 UTF-16 units: still 255 characters.
                Gen.codePoints(SUPPLEMENTARY, UserId.MAX_LENGTH, UserId.MAX_LENGTH));
    }

    private static Gen<String> tooLongIds() {
        return oneOf(
                idsOfLength(UserId.MAX_LENGTH + 1, UserId.MAX_LENGTH + 40),
                Gen.codePoints(SUPPLEMENTARY, UserId.MAX_LENGTH + 1, UserId.MAX_LENGTH + 1),
                Gen.ints(1_000, 200_000).map("u"::repeat));
    }

    private static Gen<String> idsWithAControlCharacter() {
        return withOneOf(oneOf(Gen.uniformInts(0x00, 0x1F), Gen.uniformInts(0x7F, 0x9F)));
    }

    private static Gen<String> idsWithALoneSurrogate() {
        return withOneOf(Gen.uniformInts(Character.MIN_SURROGATE, Character.MAX_SURROGATE));
    }

    /** Allowed code points with one of {@code extra} put at a code point boundary (never inside a surrogate pair). */
    private static Gen<String> withOneOf(Gen<Integer> extra) {
        return allowedCodePoints().list(0, UserId.MAX_LENGTH - 1).flatMap(codePoints -> extra.flatMap(inserted -> Gen.ints(0, 1000).map(at -> {
            List<Integer> all = new ArrayList<>(codePoints);
            all.add(at % (codePoints.size() + 1), inserted);
            return Gen.text(all);
        })));
    }

    private static Gen<String> anyText() {
        return oneOf(
                Gen.strings(Gen.chars('\u0000', '\uffff'), 0, 300).orNull(0.05),
                Gen.strings(Gen.chars('\u0000', '\u007f'), 0, 300),
                Gen.strings(Gen.chars('\u0000', '\u00ff'), 250, 260),
                idsOfLength(0, 300),
                idsWithAControlCharacter(),
                idsWithALoneSurrogate());
    }
}
