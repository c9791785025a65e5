package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A grant or a deduction, ready to apply: the storage adapter applies it atomically (balance and
 * ledger in one transaction) or not at all.
 */
public record MoneyMove(
        EntryId id,
        UserId userId,
        Usdc amount,
        Optional<String> reference,
        Optional<String> reason,
        Idempotency idempotency,
        Instant at) {

    public MoneyMove {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        if (idempotency.operation() == EntryType.REFUND) {
            throw new IllegalArgumentException("a refund is a Refund, not a MoneyMove");
        }
        reference.ifPresent(LedgerText::reference);
        reason.ifPresent(LedgerText::reason);
    }

    public EntryType type() {
        return idempotency.operation();
    }

    /**
     * The ledger entry this move writes, given the balance it leaves and when it happened (never
     * before {@link #at()}: see {@link Credit#nextMoveTime}).
     */
    public LedgerEntry entry(Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, userId, type(), amount, balanceAfter, reference, reason, Optional.empty(), happenedAt);
    }
}
