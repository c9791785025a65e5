package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something a user's money did that other services are told about, decided in the move that
 * caused it and stored in that move's transaction (the outbox). The amounts are the user's balance
 * and available balance after the whole move; {@code threshold} is the low-balance threshold that
 * applied then; {@code entryId} is the entry the event is about (the move's own entry for a
 * crossing) and {@code holdId} that entry's hold, if any.
 */
public record CreditEvent(EventId id, CreditEventType type, UserId userId, Usdc balance, Usdc available,
                          Optional<Usdc> threshold, Optional<EntryId> entryId, Optional<EntryId> holdId, Instant createdAt) {

    public CreditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(available, "available");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
