package credits.application.port.in;

import credits.domain.LotPage;
import credits.domain.UserId;

import java.util.Objects;

/** A developer (or an admin for them) sees the lots of a balance in the order they will be used. */
public interface ListLots {

    int DEFAULT_LIMIT = 50;
    int MAX_LIMIT = 200;

    LotPage list(UserId userId, LotPage.Query query);

    static LotPage.Query query(boolean includeAll, java.util.Optional<LotPage.Cursor> after, int limit) {
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new credits.domain.InvalidValueException("must be from 1 to " + MAX_LIMIT);
        }
        return new LotPage.Query(includeAll, after, limit);
    }
}
