package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event's delivery to one endpoint, as the deliveries list shows it. {@code nextAttemptAt} is
 * empty once it is delivered or failed.
 */
public record Delivery(EventId eventId, CreditEventType type, DeliveryStatus status, int attempts,
                       Optional<Integer> lastStatusCode, Optional<Instant> nextAttemptAt, Instant createdAt) {

    public Delivery {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastStatusCode, "lastStatusCode");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(createdAt, "createdAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
    }
}
