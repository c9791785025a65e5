package credits.domain;

import java.time.Instant;
import java.util.List;
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
        idempotency.requireOperation(Operation.REFUND);
    }

    /**
     * What this refund gives back of a deduction of which {@code refundable} is not yet refunded:
     * the amount asked, or without one the whole rest; empty when that is nothing or more than
     * the rest (a refusal: {@link MoveOutcome.RefundExceedsDeduction}).
     */
    public Optional<Usdc> amountWithin(Usdc refundable) {
        Usdc asked = amount.orElse(refundable);
        return asked.isZero() || refundable.isLessThan(asked) ? Optional.empty() : Optional.of(asked);
    }

    /** The refund's ledger entry, listing the lots it gave back to; {@code happenedAt} as for {@link Deduction#entry}. */
    public LedgerEntry entry(UserId userId, List<Draw> givenBack, Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, userId, EntryType.REFUND, Draw.total(givenBack), balanceAfter, Optional.empty(),
                Optional.of(reason), Optional.of(deductionId), Optional.empty(), givenBack, Optional.empty(), Optional.empty(),
                happenedAt);
    }
}
