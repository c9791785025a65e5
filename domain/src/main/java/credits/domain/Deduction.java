package credits.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Usage charged to a user by the metering gateway, ready to apply: never more than the available
 * balance ({@link Credit#covers}), applied atomically or not at all.
 */
public record Deduction(EntryId id, UserId userId, Usdc amount, Optional<String> reference, Idempotency idempotency,
                        Instant at) {

    public Deduction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        idempotency.requireOperation(Operation.DEDUCTION);
        reference.ifPresent(LedgerText::reference);
    }

    /**
     * The ledger entry this deduction writes, given the lots it drew from, the balance it leaves and
     * when it happened ({@link Credit#nextMoveTime}).
     */
    public LedgerEntry entry(List<Draw> drawnFrom, Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, userId, EntryType.DEDUCTION, amount, balanceAfter, reference, Optional.empty(),
                Optional.empty(), Optional.empty(), drawnFrom, Optional.empty(), Optional.empty(), happenedAt);
    }
}
