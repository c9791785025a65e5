package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * USDC the user deposited, reported by the payment service: a paid lot that never expires. The
 * payment reference is credited once across the platform, whatever key it arrives under.
 */
public record Topup(EntryId id, UserId userId, Usdc amount, LedgerEntry.Deposit deposit, Idempotency idempotency,
                    Instant at) implements LotOpening {

    public Topup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(deposit, "deposit");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        idempotency.requireOperation(Operation.TOPUP);
    }

    @Override
    public LotTerms terms() {
        return LotTerms.DEPOSIT;
    }

    @Override
    public LedgerEntry entry(Usdc balanceAfter, Instant happenedAt) {
        return LedgerEntry.lotOpening(id, userId, EntryType.TOPUP, amount, balanceAfter, Optional.empty(), LotTerms.DEPOSIT,
                Optional.of(deposit), happenedAt);
    }
}
