package credits.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UsdcProperties {

    private static final String CANONICAL = "^(0|[1-9][0-9]*)\\.[0-9]{2,7}$";
    private static final String ACCEPTED = "^(0|[1-9][0-9]*)(\\.[0-9]{1,7})?$";
    private static final long MAX = Usdc.MAX_INPUT.units();

    @Property
    void parseOfFormatIsIdentity(@ForAll @LongRange(min = 0, max = 100_000_000_000_000_000L) long units) {
        Usdc amount = Usdc.ofUnits(units);
        assertThat(Usdc.parse(amount.format()), is(amount));
    }

    @Property
    void formatIsCanonicalWithTwoToSevenFractionDigitsAndNoTrailingZerosAfterTheSecond(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long units) {
        String text = Usdc.ofUnits(units).format();
        assertThat(text + " is canonical", text.matches(CANONICAL), is(true));
        String fraction = text.substring(text.indexOf('.') + 1);
        if (fraction.length() > 2) {
            assertThat(fraction.endsWith("0"), is(false));
        }
    }

    @Property
    void formatAgreesWithDecimalArithmetic(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long units) {
        BigDecimal expected = BigDecimal.valueOf(units, Usdc.SCALE);
        assertThat(new BigDecimal(Usdc.ofUnits(units).format()).compareTo(expected), is(0));
    }

    @Property
    void anyTextMatchingTheContractPatternWithinTheCapParsesToItsExactValue(@ForAll("contractShapedText") String text) {
        BigDecimal exact = new BigDecimal(text);
        boolean withinCap = exact.compareTo(BigDecimal.valueOf(MAX, Usdc.SCALE)) <= 0;
        if (withinCap) {
            assertThat(Usdc.parse(text).units(), is(exact.movePointRight(Usdc.SCALE).longValueExact()));
        } else {
            assertThrows(InvalidValueException.class, () -> Usdc.parse(text));
        }
    }

    @Property
    void textOutsideTheContractPatternIsAlwaysRefused(@ForAll("arbitraryText") String text) {
        if (text.matches(ACCEPTED)) {
            return; // covered by the property above
        }
        assertThrows(InvalidValueException.class, () -> Usdc.parse(text));
    }

    @Provide
    Arbitrary<String> contractShapedText() {
        Arbitrary<String> whole = Arbitraries.oneOf(
                Arbitraries.just("0"),
                net.jqwik.api.Combinators.combine(
                        Arbitraries.chars().range('1', '9'),
                        Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(11))
                        .as((first, rest) -> first + rest));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(7).map(f -> "." + f));
        return net.jqwik.api.Combinators.combine(whole, fraction).as(String::concat);
    }

    @Provide
    Arbitrary<String> arbitraryText() {
        return Arbitraries.strings().withChars("0123456789.-+eE ,x_").ofMaxLength(24);
    }
}
