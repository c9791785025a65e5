package credits.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The user id rule (api.md, {@link UserId}): 1–255 characters counted as code points, no control
 * characters, valid Unicode. The oracle below is written from the rule, not from the code.
 */
class UserIdProperties {

    @Property(tries = 500)
    void everyIdTheContractAllowsIsAcceptedAndKeptExactlyAsSent(@ForAll("allowedIds") String id) {
        assertThat(new UserId(id).value(), is(id));
        assertThat(UserId.of(id).toString(), is(id));
    }

    @Property(tries = 300)
    void idOfMoreThan255CharactersIsRefusedNamingTheUserId(@ForAll("tooLongIds") String id) {
        assertRefused(id);
    }

    @Property(tries = 300)
    void idWithAControlCharacterAnywhereIsRefusedNamingTheUserId(@ForAll("idsWithAControlCharacter") String id) {
        assertRefused(id);
    }

    @Property(tries = 300)
    void idWithALoneSurrogateAnywhereIsRefusedNamingTheUserId(@ForAll("idsWithALoneSurrogate") String id) {
        assertRefused(id);
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyStringIsAcceptedExactlyWhenTheRuleAllowsItAndOtherwiseRefusedWithNothingButInvalidValue(
            @ForAll("anyText") String text) {
        boolean allowed = allowedByTheRule(text);
        BothOutcomes.record(allowed);
        if (allowed) {
            assertThat(new UserId(text).value(), is(text));
        } else {
            assertRefused(text);
        }
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

    /** Code points an id may hold: mostly ASCII, then the rest of the BMP, then supplementary planes (emoji etc.). */
    static Arbitrary<Integer> allowedCodePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0xA0, Character.MIN_SURROGATE - 1)),
                Tuple.of(1, Arbitraries.integers().between(Character.MAX_SURROGATE + 1, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)));
    }

    static Arbitrary<String> idsOfLength(int min, int max) {
        return allowedCodePoints().list().ofMinSize(min).ofMaxSize(max).map(UserIdProperties::text);
    }

    @Provide
    Arbitrary<String> allowedIds() {
        return Arbitraries.oneOf(
                idsOfLength(1, 20),
                idsOfLength(1, UserId.MAX_LENGTH),
                idsOfLength(UserId.MAX_LENGTH, UserId.MAX_LENGTH),
                // 255 characters outside the BMP are 510 UTF-16 units: still 255 characters.
                Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
                        .list().ofSize(UserId.MAX_LENGTH).map(UserIdProperties::text));
    }

    @Provide
    Arbitrary<String> tooLongIds() {
        return Arbitraries.oneOf(
                idsOfLength(UserId.MAX_LENGTH + 1, UserId.MAX_LENGTH + 40),
                Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
                        .list().ofSize(UserId.MAX_LENGTH + 1).map(UserIdProperties::text),
                Arbitraries.integers().between(1_000, 200_000).map("u"::repeat));
    }

    @Provide
    Arbitrary<String> idsWithAControlCharacter() {
        Arbitrary<Integer> control = Arbitraries.oneOf(Arbitraries.integers().between(0x00, 0x1F), Arbitraries.integers().between(0x7F, 0x9F));
        return Combinators.combine(allowedCodePoints().list().ofMaxSize(UserId.MAX_LENGTH - 1), control, Arbitraries.integers().between(0, 1000))
                .as(UserIdProperties::inserted);
    }

    @Provide
    Arbitrary<String> idsWithALoneSurrogate() {
        Arbitrary<Integer> surrogate = Arbitraries.integers().between(Character.MIN_SURROGATE, Character.MAX_SURROGATE);
        return Combinators.combine(allowedCodePoints().list().ofMaxSize(UserId.MAX_LENGTH - 1), surrogate, Arbitraries.integers().between(0, 1000))
                .as(UserIdProperties::inserted);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300).injectNull(0.05),
                Arbitraries.strings().ascii().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMinLength(250).ofMaxLength(260),
                idsOfLength(0, 300),
                idsWithAControlCharacter(),
                idsWithALoneSurrogate());
    }

    /** One code point put at a code point boundary (never inside a surrogate pair) of the others. */
    private static String inserted(List<Integer> codePoints, int extra, int where) {
        List<Integer> all = new ArrayList<>(codePoints);
        all.add(where % (codePoints.size() + 1), extra);
        return text(all);
    }

    private static String text(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }
}
