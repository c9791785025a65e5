package credits.adapters.http;

import java.util.List;
import java.util.Objects;

/**
 * How the HTTP adapter protects itself and who may call it from a browser.
 *
 * @param userRateLimit    per-user token bucket on the user routes (balance, history)
 * @param serviceRateLimit per-caller token bucket on the metering and admin routes, sized for
 *                         machines rather than browsers
 * @param corsOrigins      origins allowed to call the API from a browser; empty allows none
 */
public record ApiSettings(RateLimit userRateLimit, RateLimit serviceRateLimit, List<String> corsOrigins) {

    public ApiSettings {
        Objects.requireNonNull(userRateLimit, "userRateLimit");
        Objects.requireNonNull(serviceRateLimit, "serviceRateLimit");
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** No rate limits, no CORS: for tests that are not about them. */
    public static ApiSettings unlimited() {
        return new ApiSettings(RateLimit.DISABLED, RateLimit.DISABLED, List.of());
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
