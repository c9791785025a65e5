package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Credits added to a user's balance by an admin, as a lot with {@code terms}, ready to apply: the
 * storage adapter applies it atomically (balance, lot and ledger in one transaction) or not at all.
 */
public record Grant(EntryId id, UserId userId, Usdc amount, LotTerms terms, Optional<String> reason, Idempotency idempotency,
                    Instant at) implements LotOpening {

    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        idempotency.requireOperation(Operation.GRANT);
        reason.ifPresent(LedgerText::reason);
    }

    @Override
    public LedgerEntry entry(Usdc balanceAfter, Instant happenedAt) {
        return LedgerEntry.lotOpening(id, userId, EntryType.GRANT, amount, balanceAfter, reason, terms, Optional.empty(), happenedAt);
    }
}
