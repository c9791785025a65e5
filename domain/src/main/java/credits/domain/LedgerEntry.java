package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One append-only line of a user's ledger. {@code balanceAfter} is the user's balance right after
 * this entry; the signed amounts of a user's entries always sum to the balance.
 */
public record LedgerEntry(
        EntryId id,
        UserId userId,
        EntryType type,
        Usdc amount,
        Usdc balanceAfter,
        Optional<String> reference,
        Optional<String> reason,
        Optional<EntryId> deductionId,
        Instant createdAt) {

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deductionId, "deductionId");
        Objects.requireNonNull(createdAt, "createdAt");
        if (amount.isZero()) {
            throw new IllegalStateException("a ledger entry moves a positive amount");
        }
    }

    /** The entry's effect on the balance in units: positive for grants and refunds, negative for deductions. */
    public long signedUnits() {
        return type.sign() * amount.units();
    }
}
