package credits.application.port.in;

import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.MoveOutcome;
import credits.domain.UserId;

import java.util.Objects;

/** The gateway gives a hold back unused, e.g. when the upstream call failed. */
public interface ReleaseHold {

    MoveOutcome release(Command command);

    record Command(UserId caller, IdempotencyKey key, EntryId holdId) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(holdId, "holdId");
        }
    }
}
