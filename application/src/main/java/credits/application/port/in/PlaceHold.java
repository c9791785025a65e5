package credits.application.port.in;

import credits.domain.HoldRequest;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The metering gateway reserves part of a developer's available balance before a call whose price it does not
 * know yet; the reservation ends when captured, released or at its expiry.
 */
public interface PlaceHold {

    MoveOutcome place(Command command);

    /** Without {@code expiresIn}, the hold lasts {@link HoldRequest#DEFAULT_EXPIRY}. */
    record Command(UserId caller, IdempotencyKey key, UserId userId, Usdc amount, Optional<String> reference,
                   Optional<Duration> expiresIn) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(expiresIn, "expiresIn");
            if (amount.isZero()) {
                throw new InvalidValueException("must be greater than 0");
            }
            reference.ifPresent(LedgerText::reference);
        }

        public Duration expiry() {
            return expiresIn.orElse(HoldRequest.DEFAULT_EXPIRY);
        }
    }
}
