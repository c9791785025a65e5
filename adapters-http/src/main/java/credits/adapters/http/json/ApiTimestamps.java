package credits.adapters.http.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The contract's one time format: UTC, always three millisecond digits, {@code Z} ("2024-01-15T10:30:00.000Z"). */
public final class ApiTimestamps {

    // Instant.toString() drops ".000" and prints micros when present, so the pattern is spelled out.
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private ApiTimestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
