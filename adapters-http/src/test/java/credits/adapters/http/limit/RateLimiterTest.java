package credits.adapters.http.limit;

import credits.adapters.http.ApiSettings.RateLimit;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.support.StepClock;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimiterTest {

    private final StepClock clock = new StepClock(Instant.parse("2024-01-20T14:22:00Z"));

    @Test
    void aFloodOfDistinctCallersKeepsOnlyTheMaximumNumberOfBuckets() {
        RateLimiter limiter = new RateLimiter(new RateLimit(10, 1), clock, 100);

        for (int i = 0; i < 5_000; i++) {
            limiter.acquire(UserId.of("flood_" + i));
        }

        assertThat(limiter.trackedCallers(), lessThanOrEqualTo(100L));
    }

    @Test
    void theBurstIsTheCapacityAndTheRefusalSaysWhenToRetry() {
        RateLimiter limiter = new RateLimiter(new RateLimit(3, 1), clock);
        UserId user = UserId.of("user_1");
        for (int i = 0; i < 3; i++) {
            limiter.acquire(user);
        }

        ApiException refused = assertThrows(ApiException.class, () -> limiter.acquire(user));

        assertThat(refused.code(), is(ErrorCode.TOO_MANY_REQUESTS));
        assertThat(refused.headers().get("Retry-After"), is("1"));
    }

    @Test
    void tokensComeBackOneAtATimeAtTheRefillRate() {
        RateLimiter limiter = new RateLimiter(new RateLimit(4, 2), clock);
        UserId user = UserId.of("user_1");
        for (int i = 0; i < 4; i++) {
            limiter.acquire(user);
        }

        clock.advance(Duration.ofMillis(499));
        assertThrows(ApiException.class, () -> limiter.acquire(user));
        clock.advance(Duration.ofMillis(1));
        limiter.acquire(user);
        assertThrows(ApiException.class, () -> limiter.acquire(user));
        // Idle long enough, the bucket is full again but never above its capacity.
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            limiter.acquire(user);
        }
        assertThrows(ApiException.class, () -> limiter.acquire(user));
    }

    @Test
    void aDisabledLimiterNeverRefusesAndKeepsNoBuckets() {
        RateLimiter limiter = new RateLimiter(RateLimit.DISABLED, clock);

        for (int i = 0; i < 1_000; i++) {
            limiter.acquire(UserId.of("user_1"));
        }

        assertThat(limiter.enabled(), is(false));
        assertThat(limiter.trackedCallers(), is(0L));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RateLimiter.retryAfterSeconds(0), is(1L));
        assertThat(RateLimiter.retryAfterSeconds(1), is(1L));
        assertThat(RateLimiter.retryAfterSeconds(1_000_000_000L), is(1L));
        assertThat(RateLimiter.retryAfterSeconds(1_000_000_001L), is(2L));
    }
}
