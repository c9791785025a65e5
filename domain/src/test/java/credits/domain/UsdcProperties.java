package credits.domain;

import credits.testing.Gen;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static credits.testing.Gen.oneOf;
import static credits.testing.PropertyCheck.forAll;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UsdcProperties {

    private static final String CANONICAL = "^(0|[1-9][0-9]*)\\.[0-9]{2,7}$";
    private static final String ACCEPTED = "^(0|[1-9][0-9]*)(\\.[0-9]{1,7})?$";
    private static final long MAX = Usdc.MAX_INPUT.units();
    private static final int TRIES = 1000;

    @Test
    void parseOfFormatIsIdentity() {
        forAll(TRIES, Gen.longs(0, 100_000_000_000_000_000L)).check(units -> {
            Usdc amount = Usdc.ofUnits(units);
            assertThat(Usdc.parse(amount.format()), is(amount));
        });
    }

    @Test
    void formatIsCanonicalWithTwoToSevenFractionDigitsAndNoTrailingZerosAfterTheSecond() {
        forAll(TRIES, Gen.longs(0, Long.MAX_VALUE)).check(units -> {
            String text = Usdc.ofUnits(units).format();
            assertThat(text + " is canonical", text.matches(CANONICAL), is(true));
            String fraction = text.substring(text.indexOf('.') + 1);
            if (fraction.length() > 2) {
                assertThat(fraction.endsWith("0"), is(false));
            }
        });
    }

    @Test
    void formatAgreesWithDecimalArithmetic() {
        forAll(TRIES, Gen.longs(0, Long.MAX_VALUE)).check(units -> {
            BigDecimal expected = BigDecimal.valueOf(units, Usdc.SCALE);
            assertThat(new BigDecimal(Usdc.ofUnits(units).format()).compareTo(expected), is(0));
        });
    }

    @Test
    void anyTextMatchingTheContractPatternWithinTheCapParsesToItsExactValue() {
        forAll(TRIES, contractShapedText()).check(text -> {
            BigDecimal exact = new BigDecimal(text);
            boolean withinCap = exact.compareTo(BigDecimal.valueOf(MAX, Usdc.SCALE)) <= 0;
            if (withinCap) {
                assertThat(Usdc.parse(text).units(), is(exact.movePointRight(Usdc.SCALE).longValueExact()));
            } else {
                assertThrows(InvalidValueException.class, () -> Usdc.parse(text));
            }
        });
    }

    @Test
    void textOutsideTheContractPatternIsAlwaysRefused() {
        // Random soup rarely lands next to a valid amount, so near misses of valid ones are mixed in:
        // one character inserted or overwritten (an 8th fraction digit, a sign, a second dot...).
        forAll(TRIES, oneOf(Gen.strings(Gen.chars("0123456789.-+eE ,x_"), 0, 24), nearMisses())).check(text -> {
            if (text.matches(ACCEPTED)) {
                return; // covered by the property above
            }
            assertThrows(InvalidValueException.class, () -> Usdc.parse(text));
        });
    }

    private static Gen<String> nearMisses() {
        Gen<String> shaped = contractShapedText();
        Gen<Character> character = Gen.chars("0123456789.-+eE ,x_");
        return random -> {
            String text = shaped.next(random);
            int at = Gen.ints(0, text.length()).next(random);
            int overwritten = at < text.length() && random.nextBoolean() ? 1 : 0;
            return text.substring(0, at) + character.next(random) + text.substring(at + overwritten);
        };
    }

    private static Gen<String> contractShapedText() {
        Gen<String> whole = oneOf(
                Gen.constant("0"),
                Gen.chars('1', '9').flatMap(first -> Gen.strings(Gen.chars('0', '9'), 0, 11).map(rest -> first + rest)));
        Gen<String> fraction = oneOf(
                Gen.constant(""),
                Gen.strings(Gen.chars('0', '9'), 1, 7).map(f -> "." + f));
        return whole.flatMap(w -> fraction.map(w::concat));
    }
}
