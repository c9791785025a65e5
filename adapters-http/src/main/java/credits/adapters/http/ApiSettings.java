package credits.adapters.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the HTTP adapter protects itself and who may call it from a browser.
 *
 * @param userRateLimit    per-user token bucket on the user routes (balance, history)
 * @param serviceRateLimit per-caller token bucket on the metering and admin routes, sized for
 *                         machines rather than browsers
 * @param corsOrigins      origins allowed to call the API from a browser ({@code https://app.example.com},
 *                         scheme and host and optional port, nothing else); empty allows none
 */
public record ApiSettings(RateLimit userRateLimit, RateLimit serviceRateLimit, List<String> corsOrigins) {

    // Browsers send an origin as scheme://host[:port], lower case, without path or trailing slash.
    private static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+](:[0-9]{1,5})?");

    /**
     * @throws IllegalArgumentException when an origin is not a plain {@code scheme://host[:port]}; {@code *}
     *                                  is refused on purpose, as the API is called with credentials
     */
    public ApiSettings {
        Objects.requireNonNull(userRateLimit, "userRateLimit");
        Objects.requireNonNull(serviceRateLimit, "serviceRateLimit");
        corsOrigins = origins(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    }

    /** No rate limits, no CORS: for tests that are not about them. */
    public static ApiSettings unlimited() {
        return new ApiSettings(RateLimit.DISABLED, RateLimit.DISABLED, List.of());
    }

    /**
     * The one rule for CORS origins: each must be what a browser sends as {@code Origin},
     * {@code scheme://host[:port]}, so an entry that could never match (a path, a query, a wildcard)
     * is refused instead of silently allowing nothing. A trailing slash is dropped and case folded,
     * since the origin meant is then unambiguous; blank entries are skipped, duplicates dropped.
     *
     * @throws IllegalArgumentException naming the first entry that is not an origin
     */
    public static List<String> origins(List<String> origins) {
        List<String> out = new ArrayList<>(origins.size());
        for (String origin : origins) {
            String value = Objects.requireNonNull(origin, "corsOrigins entry").strip().toLowerCase(Locale.ROOT);
            if (value.endsWith("/")) {
                value = value.substring(0, value.length() - 1);
            }
            if (value.isEmpty()) {
                continue;
            }
            if (!ORIGIN.matcher(value).matches()) {
                throw new IllegalArgumentException("A CORS origin must be scheme://host[:port] (no '*', path or query): " + origin);
            }
            if (!out.contains(value)) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A token bucket: {@code capacity} requests at once, refilled by {@code refillPerSecond}.
     * A capacity of 0 disables the limit.
     */
    public record RateLimit(long capacity, long refillPerSecond) {

        public static final RateLimit DISABLED = new RateLimit(0, 0);

        public RateLimit {
            if (capacity < 0 || refillPerSecond < 0) {
                throw new IllegalArgumentException("rate limit capacity and refill must not be negative");
            }
            if (capacity > 0 && refillPerSecond == 0) {
                throw new IllegalArgumentException("a rate limit with capacity needs a refill rate above 0");
            }
        }

        public boolean enabled() {
            return capacity > 0;
        }
    }
}
