package credits.domain;

/**
 * An exact, non-negative amount of USDC held as integer units of 10^-7 USDC.
 *
 * <p>Parsing and formatting follow the API contract to the character: input is
 * {@code ^(0|[1-9][0-9]*)(\.[0-9]{1,7})?$} up to {@link #MAX_INPUT}; output has two to seven
 * fraction digits with trailing zeros trimmed after the second ({@code "0.00"}, {@code "100.50"},
 * {@code "0.0000001"}). There is no floating point anywhere on the path.
 *
 * @param units the amount in 10^-7 USDC, never negative
 */
public record Usdc(long units) implements Comparable<Usdc> {

    /** Fraction digits of one unit. */
    public static final int SCALE = 7;
    /** Units in one USDC. */
    public static final long UNITS_PER_USDC = 10_000_000L;
    /** The largest amount a client may send: 10,000,000,000 USDC. */
    public static final Usdc MAX_INPUT = new Usdc(10_000_000_000L * UNITS_PER_USDC);
    public static final Usdc ZERO = new Usdc(0);
    /** The largest balance the ledger stores: a signed 64-bit count of units (922,337,203,685.4775807 USDC). */
    public static final Usdc MAX_BALANCE = new Usdc(Long.MAX_VALUE);

    // "10000000000.0000000" is the longest valid text; anything longer is refused before any arithmetic.
    private static final int MAX_TEXT_LENGTH = 19;
    private static final String FORMAT_HINT =
            "must be a decimal string with at most 7 fraction digits and no sign, exponent or leading zeros, e.g. \"12.50\"";

    public Usdc {
        if (units < 0) {
            throw new InvalidValueException("amount must not be negative");
        }
    }

    public static Usdc ofUnits(long units) {
        return new Usdc(units);
    }

    /**
     * Parses a contract amount string exactly.
     *
     * @throws InvalidValueException with a client-safe message when the text is not a valid amount
     */
    public static Usdc parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidValueException("must not be empty; " + FORMAT_HINT);
        }
        int length = text.length();
        if (length > MAX_TEXT_LENGTH) {
            throw new InvalidValueException(FORMAT_HINT + ", at most " + MAX_INPUT.format());
        }
        int dot = text.indexOf('.');
        int integerEnd = dot < 0 ? length : dot;
        if (integerEnd == 0) {
            throw new InvalidValueException(FORMAT_HINT);
        }
        if (text.charAt(0) == '0' && integerEnd > 1) {
            throw new InvalidValueException(FORMAT_HINT);
        }
        long whole = 0;
        for (int i = 0; i < integerEnd; i++) {
            whole = whole * 10 + digit(text.charAt(i));
        }
        long fraction = 0;
        if (dot >= 0) {
            int fractionDigits = length - dot - 1;
            if (fractionDigits < 1 || fractionDigits > SCALE) {
                throw new InvalidValueException(FORMAT_HINT);
            }
            for (int i = dot + 1; i < length; i++) {
                fraction = fraction * 10 + digit(text.charAt(i));
            }
            for (int i = fractionDigits; i < SCALE; i++) {
                fraction *= 10;
            }
        }
        // At most 11 integer digits reach this point (length cap), so this cannot overflow a long.
        if (whole > MAX_INPUT.units / UNITS_PER_USDC) {
            throw new InvalidValueException("must be at most " + MAX_INPUT.format());
        }
        long units = whole * UNITS_PER_USDC + fraction;
        if (units > MAX_INPUT.units) {
            throw new InvalidValueException("must be at most " + MAX_INPUT.format());
        }
        return new Usdc(units);
    }

    private static int digit(char c) {
        if (c < '0' || c > '9') {
            throw new InvalidValueException(FORMAT_HINT);
        }
        return c - '0';
    }

    /** The canonical contract form: two to seven fraction digits, trailing zeros trimmed after the second. */
    public String format() {
        long whole = units / UNITS_PER_USDC;
        long fraction = units % UNITS_PER_USDC;
        StringBuilder out = new StringBuilder(24).append(whole).append('.');
        String digits = Long.toString(fraction);
        for (int i = digits.length(); i < SCALE; i++) {
            out.append('0');
        }
        out.append(digits);
        int end = out.length();
        int minEnd = end - SCALE + 2;
        while (end > minEnd && out.charAt(end - 1) == '0') {
            end--;
        }
        out.setLength(end);
        return out.toString();
    }

    /** @throws ArithmeticException when the sum would pass {@link #MAX_BALANCE} */
    public Usdc plus(Usdc other) {
        return new Usdc(Math.addExact(units, other.units));
    }

    /** Whether adding {@code other} stays within {@link #MAX_BALANCE}. */
    public boolean canAdd(Usdc other) {
        return units <= MAX_BALANCE.units - other.units;
    }

    /** @throws InvalidValueException when the result would be negative */
    public Usdc minus(Usdc other) {
        return new Usdc(Math.subtractExact(units, other.units));
    }

    public boolean isZero() {
        return units == 0;
    }

    public boolean isLessThan(Usdc other) {
        return units < other.units;
    }

    @Override
    public int compareTo(Usdc other) {
        return Long.compare(units, other.units);
    }

    @Override
    public String toString() {
        return format();
    }
}
