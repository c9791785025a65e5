package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Credits added to a user's balance by an admin, ready to apply: the storage adapter applies it
 * atomically (balance and ledger in one transaction) or not at all.
 */
public record Grant(EntryId id, UserId userId, Usdc amount, Optional<String> reason, Idempotency idempotency, Instant at) {

    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        idempotency.requireOperation(Operation.GRANT);
        reason.ifPresent(LedgerText::reason);
    }

    /**
     * Whether the grant fits on top of {@code balance}: a refusal is
     * {@link MoveOutcome.BalanceLimitExceeded}.
     */
    public boolean fitsOn(Usdc balance) {
        return balance.canAdd(amount);
    }

    /** The ledger entry this grant writes, given the balance it leaves and when it happened ({@link Credit#nextMoveTime}). */
    public LedgerEntry entry(Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, userId, EntryType.GRANT, amount, balanceAfter, Optional.empty(), reason, Optional.empty(),
                happenedAt);
    }
}
