package credits.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: after each of the delays in turn, then never (the
 * delivery is failed). The first attempt is made as soon as the event is recorded.
 */
public record RetrySchedule(List<Duration> delays) {

    /** api.md's default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h. */
    public static final RetrySchedule DEFAULT = seconds(List.of(5L, 300L, 1800L, 7200L, 18000L, 36000L, 86400L));

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(delay -> delay.isNegative())) {
            throw new IllegalArgumentException("retry delays are not negative");
        }
    }

    public static RetrySchedule seconds(List<Long> seconds) {
        return new RetrySchedule(seconds.stream().map(Duration::ofSeconds).toList());
    }

    /** When to try again after the failed attempt number {@code attempt} (1 for the first) at {@code at}; empty: give up. */
    public Optional<Instant> retryAfter(int attempt, Instant at) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
        return attempt <= delays.size() ? Optional.of(at.plus(delays.get(attempt - 1))) : Optional.empty();
    }

    /** How many attempts a delivery gets at most. */
    public int maxAttempts() {
        return delays.size() + 1;
    }
}
