package credits.application.port.in;

import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Objects;
import java.util.Optional;

/** The metering gateway charges a developer for usage; never more than their available balance. */
public interface DeductCredits {

    MoveOutcome deduct(Command command);

    record Command(UserId caller, IdempotencyKey key, UserId userId, Usdc amount, Optional<String> reference) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(reference, "reference");
            reference.ifPresent(LedgerText::reference);
        }
    }
}
