package credits.adapters.http.json;

import java.time.Instant;

import credits.domain.ApiText;

/** The contract's one time format: UTC, always three millisecond digits, {@code Z} ("2024-01-15T10:30:00.000Z"). */
public final class ApiTimestamps {

    private ApiTimestamps() {
    }

    /** The domain's form ({@link ApiText#instant}), the one entry hashes are computed over. */
    public static String format(Instant instant) {
        return ApiText.instant(instant);
    }
}
