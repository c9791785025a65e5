package credits.application.port.in;

import credits.domain.HistoryCursor;
import credits.domain.HoldPage;
import credits.domain.HoldStatus;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Optional;

/** A developer (or an admin for them) reads their holds, newest first, optionally of one status. */
public interface ListHolds {

    int DEFAULT_LIMIT = 50;
    int MAX_LIMIT = 200;

    HoldPage list(Query query);

    record Query(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit) {

        public Query {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(after, "after");
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidValueException("must be from 1 to " + MAX_LIMIT);
            }
        }
    }
}
