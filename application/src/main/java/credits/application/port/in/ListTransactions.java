package credits.application.port.in;

import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Optional;

/** A developer (or an admin for them) reads the ledger, newest first, a page at a time. */
public interface ListTransactions {

    int DEFAULT_LIMIT = 50;
    int MAX_LIMIT = 200;

    HistoryPage list(Query query);

    record Query(UserId userId, Optional<HistoryCursor> after, int limit) {

        public Query {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(after, "after");
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidValueException("must be from 1 to " + MAX_LIMIT);
            }
        }
    }
}
