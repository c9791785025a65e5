package credits.adapters.http.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import credits.adapters.http.ApiSettings.RateLimit;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.domain.UserId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.helidon.http.HeaderNames;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per caller, for one {@link RateLimit}. Buckets refill greedily (a token every
 * {@code 1/refill} seconds rather than {@code refill} tokens once a second), so a caller who waits gets
 * requests back smoothly and a burst never exceeds the capacity.
 *
 * <p>Buckets live in a bounded Caffeine cache: a flood of distinct ids evicts old buckets instead of
 * exhausting memory. A bucket idle long enough to be full again is dropped; a new one starts full, so
 * that expiry changes nothing. Limits are per instance: behind a load balancer each instance counts alone.
 */
public final class RateLimiter {

    /** More distinct callers than one instance sees within a refill period, and a few MB at most. */
    public static final long DEFAULT_MAX_CALLERS = 100_000;

    private final RateLimit limit;
    private final Bandwidth bandwidth;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /** @param clock time for refills: the system clock in production, a fixed or stepped one in tests */
    public RateLimiter(RateLimit limit, Clock clock) {
        this(limit, clock, DEFAULT_MAX_CALLERS);
    }

    RateLimiter(RateLimit limit, Clock clock, long maxCallers) {
        this.limit = Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(clock, "clock");
        if (!limit.enabled()) {
            this.bandwidth = null;
            this.time = null;
            this.buckets = null;
            return;
        }
        this.bandwidth = Bandwidth.builder()
                .capacity(limit.capacity())
                .refillGreedy(limit.refillPerSecond(), Duration.ofSeconds(1))
                .build();
        this.time = new ClockTime(clock);
        // Time from empty to full; a bucket idle that long is indistinguishable from a new one.
        long secondsToFull = Math.max(1, Math.ceilDiv(limit.capacity(), limit.refillPerSecond()));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxCallers)
                .expireAfterAccess(Duration.ofSeconds(secondsToFull))
                // Eviction work on the calling thread: no pool thread per limiter, and tests see it at once.
                .executor(Runnable::run)
                .build();
    }

    public boolean enabled() {
        return limit.enabled();
    }

    /**
     * Takes one token from {@code caller}'s bucket.
     *
     * @throws ApiException 429 TOO_MANY_REQUESTS with {@code Retry-After} (whole seconds, at least 1)
     *                      when the bucket is empty
     */
    public void acquire(UserId caller) {
        if (buckets == null) {
            return;
        }
        ConsumptionProbe probe = buckets.get(caller.value(), id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = retryAfterSeconds(probe.getNanosToWaitForRefill());
            throw new ApiException(ErrorCode.TOO_MANY_REQUESTS,
                    "Too many requests; retry after " + seconds + (seconds == 1 ? " second" : " seconds"))
                    .withHeader(HeaderNames.RETRY_AFTER_NAME, Long.toString(seconds));
        }
    }

    /** How many callers have a bucket now (after pending evictions): never more than the maximum. */
    long trackedCallers() {
        if (buckets == null) {
            return 0;
        }
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    static long retryAfterSeconds(long nanosToWait) {
        return Math.max(1, Math.ceilDiv(nanosToWait, TimeUnit.SECONDS.toNanos(1)));
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(time).build();
    }

    /** Bucket4j reads time from the injected clock, so tests control refills instead of sleeping. */
    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.millis());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
