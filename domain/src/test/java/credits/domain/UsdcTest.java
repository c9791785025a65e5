package credits.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UsdcTest {

    @ParameterizedTest(name = "\"{0}\" parses to {1} units and formats as \"{2}\"")
    @CsvSource({
            "0,                  0,                  0.00",
            "0.00,               0,                  0.00",
            "100.5,              1005000000,         100.50",
            "100.50,             1005000000,         100.50",
            "12.345,             123450000,          12.345",
            "0.0000001,          1,                  0.0000001",
            "0.0100000,          100000,             0.01",
            "999999.9999999,     9999999999999,      999999.9999999",
            "10000000000,        100000000000000000, 10000000000.00",
            "10000000000.0000000,100000000000000000, 10000000000.00",
    })
    void contractExamplesParseToExactUnitsAndFormatCanonically(String text, long units, String canonical) {
        Usdc amount = Usdc.parse(text);
        assertThat(amount.units(), is(units));
        assertThat(amount.format(), is(canonical));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", " ", "1e5", "-1", "+1", "01", "00", "00.5", "1.", ".5", "1.00000000", "0.00000001",
            "1,5", "1.5 ", " 1.5", "NaN", "Infinity", "0x10", "1_000", "10000000000.0000001", "10000000001",
            "99999999999", "999999999999999999999", "１", "1.٥"})
    void malformedOrOutOfRangeTextIsRefused(String text) {
        assertThrows(InvalidValueException.class, () -> Usdc.parse(text));
    }

    @Test
    void nullIsRefusedAsInvalidValue() {
        assertThrows(InvalidValueException.class, () -> Usdc.parse(null));
    }

    @Test
    void negativeUnitsCannotBeConstructed() {
        assertThrows(InvalidValueException.class, () -> Usdc.ofUnits(-1));
    }

    @Test
    void subtractionBelowZeroIsRefused() {
        assertThrows(InvalidValueException.class, () -> Usdc.parse("1.00").minus(Usdc.parse("1.0000001")));
    }

    @Test
    void arithmeticIsExactAtTheSmallestUnit() {
        Usdc sum = Usdc.ZERO;
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(Usdc.parse("0.1"));
        }
        assertThat(sum, is(Usdc.parse("1")));
        assertThat(Usdc.parse("1.00").minus(Usdc.parse("0.0000001")).format(), is("0.9999999"));
    }
}
