package credits.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The idempotency key rule, narrower than a user id's: 1–255 printable ASCII characters, no spaces. */
class IdempotencyKeyProperties {

    private static final char FIRST_PRINTABLE = '!';
    private static final char LAST_PRINTABLE = '~';

    @Property(tries = 500)
    void everyKeyOfOneTo255PrintableAsciiCharactersIsAcceptedAndKeptExactlyAsSent(@ForAll("allowedKeys") String key) {
        assertThat(new IdempotencyKey(key).value(), is(key));
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyStringIsAcceptedExactlyWhenTheRuleAllowsItAndOtherwiseRefusedWithNothingButInvalidValue(
            @ForAll("anyText") String text) {
        boolean allowed = allowedByTheRule(text);
        BothOutcomes.record(allowed);
        if (allowed) {
            assertThat(new IdempotencyKey(text).value(), is(text));
        } else {
            assertThrows(InvalidValueException.class, () -> new IdempotencyKey(text));
        }
    }

    private static boolean allowedByTheRule(String text) {
        return text != null && !text.isEmpty() && text.length() <= IdempotencyKey.MAX_LENGTH
                && text.chars().allMatch(c -> c >= FIRST_PRINTABLE && c <= LAST_PRINTABLE);
    }

    @Provide
    Arbitrary<String> allowedKeys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(FIRST_PRINTABLE, LAST_PRINTABLE).ofMinLength(1).ofMaxLength(IdempotencyKey.MAX_LENGTH),
                Arbitraries.strings().withCharRange(FIRST_PRINTABLE, LAST_PRINTABLE).ofLength(IdempotencyKey.MAX_LENGTH),
                Arbitraries.create(() -> java.util.UUID.randomUUID().toString()));
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300).injectNull(0.05),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(300),
                Arbitraries.strings().withCharRange(' ', '\u007f').ofMinLength(250).ofMaxLength(260),
                Arbitraries.integers().between(1_000, 100_000).map("k"::repeat),
                allowedKeys(),
                // An allowed key with one character put in: mostly a near miss, sometimes still allowed.
                Combinators.combine(allowedKeys(), Arbitraries.chars().range('\u0000', '\u00ff'), Arbitraries.integers().between(0, 300))
                        .as((key, c, at) -> key.substring(0, at % (key.length() + 1)) + c + key.substring(at % (key.length() + 1))));
    }
}
