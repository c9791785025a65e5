package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Giving back all or part of a deduction; without an amount, whatever of it is not yet refunded. */
public record Refund(
        EntryId id,
        EntryId deductionId,
        Optional<Usdc> amount,
        String reason,
        Idempotency idempotency,
        Instant at) {

    public Refund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deductionId, "deductionId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isPresent() && amount.get().isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        LedgerText.reason(reason);
        if (idempotency.operation() != EntryType.REFUND) {
            throw new IllegalArgumentException("a refund's idempotency operation is REFUND");
        }
    }

    /** The refund's ledger entry; {@code happenedAt} as for {@link MoneyMove#entry}. */
    public LedgerEntry entry(UserId userId, Usdc refunded, Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, userId, EntryType.REFUND, refunded, balanceAfter, Optional.empty(), Optional.of(reason),
                Optional.of(deductionId), happenedAt);
    }
}
