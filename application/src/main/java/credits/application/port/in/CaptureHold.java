package credits.application.port.in;

import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Objects;
import java.util.Optional;

/** The gateway charges what a held call really cost (all of the hold, or part of it); the rest is freed at once. */
public interface CaptureHold {

    MoveOutcome capture(Command command);

    /** Without an {@code amount}, the whole hold; without a {@code reference}, the hold's. */
    record Command(UserId caller, IdempotencyKey key, EntryId holdId, Optional<Usdc> amount, Optional<String> reference) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(holdId, "holdId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(reference, "reference");
            if (amount.filter(Usdc::isZero).isPresent()) {
                throw new InvalidValueException("must be greater than 0");
            }
            reference.ifPresent(LedgerText::reference);
        }
    }
}
