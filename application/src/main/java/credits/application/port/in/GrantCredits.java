package credits.application.port.in;

import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Objects;
import java.util.Optional;

/** An admin or finance adds prepaid credits to a developer's balance (opening their credit if needed). */
public interface GrantCredits {

    MoveOutcome grant(Command command);

    /** {@code caller} is who asks (the idempotency scope); {@code userId} is whose balance grows. */
    record Command(UserId caller, IdempotencyKey key, UserId userId, Usdc amount, LotTerms terms, Optional<String> reason) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(terms, "terms");
            Objects.requireNonNull(reason, "reason");
            reason.ifPresent(LedgerText::reason);
        }
    }
}
