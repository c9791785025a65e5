package credits.adapters.persistence.postgres;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import credits.domain.CreditState;
import credits.domain.Decision;
import credits.domain.EntryId;
import credits.domain.Hold;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.UserId;

/**
 * A money move queued for a batch: whose it is (the lane and the lock), the identity it is written
 * under, the hold it acts on (a capture's or release's, found before it queued), how the domain
 * decides it on the state the batch's earlier moves leave, and how it is written on its own when it
 * is alone or its batch failed.
 */
record BatchedMove(String operation, UserId userId, Idempotency idempotency, Optional<EntryId> holdId,
                   BiFunction<CreditState, Optional<Hold>, Decision> decide, Supplier<MoveOutcome> alone) {

    BatchedMove {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(decide, "decide");
        Objects.requireNonNull(alone, "alone");
    }
}
