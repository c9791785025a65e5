package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt came to, as the dispatcher records it: {@code statusCode} is the receiver's
 * answer (empty when none came: refused, timed out); {@code nextAttemptAt} is when to try again, or
 * empty when the delivery is delivered (a 2xx) or failed for good.
 */
public record DeliveryAttempt(EventId eventId, EndpointId endpointId, DeliveryStatus outcome, Optional<Integer> statusCode,
                              Optional<Instant> nextAttemptAt, Instant at) {

    public DeliveryAttempt {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(at, "at");
        if ((outcome == DeliveryStatus.PENDING) != nextAttemptAt.isPresent()) {
            throw new IllegalArgumentException("a pending delivery, and only a pending one, has a next attempt");
        }
    }
}
