package credits.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The contract's text forms of an instant and of money, in one place: what the API shows and what a
 * ledger entry's hash is computed over, so the two can never drift apart.
 */
public final class ApiText {

    // Instant.toString() drops ".000" and prints micros when present, so the pattern is spelled out.
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ApiText() {
    }

    /** UTC, always three millisecond digits, {@code Z}: "2024-01-15T10:30:00.000Z". */
    public static String instant(Instant instant) {
        return INSTANT.format(instant);
    }

    /** An amount as {@code amount_usdc} shows it ({@link Usdc#format}). */
    public static String usdc(Usdc amount) {
        return amount.format();
    }
}
