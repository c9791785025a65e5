package credits.application.port.in;

import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;

import java.util.Objects;

/** The payment service credits a developer's USDC deposit as paid credit, once per payment. */
public interface TopupCredits {

    MoveOutcome topup(Command command);

    /** {@code caller} is the payment service (the idempotency scope); {@code userId} is whose deposit arrived. */
    record Command(UserId caller, IdempotencyKey key, UserId userId, Usdc amount, LedgerEntry.Deposit deposit) {
        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(deposit, "deposit");
        }
    }
}
