package credits.adapters.http;

import credits.adapters.http.error.FieldErrors;
import credits.application.port.in.ListTransactions;
import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import io.helidon.common.uri.UriQuery;

import java.util.Optional;
import java.util.Set;

/**
 * {@code ?limit=&cursor=} of one user's history read, validated strictly: anything but what the contract
 * allows is a 400. The cursor is checked against the history's owner, so it opens only the history it came from.
 */
record TransactionsQuery(UserId owner, Optional<HistoryCursor> after, int limit) {

    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";
    private static final Set<String> PARAMETERS = Set.of(LIMIT, CURSOR);
    private static final String LIMIT_MESSAGE = "must be a whole number from 1 to " + ListTransactions.MAX_LIMIT;

    /**
     * The query on {@code owner}'s history; empty when anything is wrong with it (or was already recorded in
     * {@code errors}), each problem recorded. Without an owner (the path's user id was refused) the cursor is
     * not checked: there is no history it could belong to.
     */
    static Optional<TransactionsQuery> from(UriQuery query, Optional<UserId> owner, HistoryCursors cursors, FieldErrors errors) {
        QueryParameters.allowOnly(query, PARAMETERS, errors);
        int limit = QueryParameters.single(query, LIMIT, errors)
                .flatMap(text -> errors.check(LIMIT, () -> limit(text)))
                .orElse(ListTransactions.DEFAULT_LIMIT);
        Optional<String> cursor = QueryParameters.single(query, CURSOR, errors);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        Optional<HistoryCursor> after = cursor.flatMap(text -> errors.check(CURSOR, () -> cursors.decode(owner.get(), text)));
        return errors.isEmpty() ? Optional.of(new TransactionsQuery(owner.get(), after, limit)) : Optional.empty();
    }

    ListTransactions.Query toUseCase() {
        return new ListTransactions.Query(owner, after, limit);
    }

    /**
     * Digits only, no sign, no leading zero: "+5", "05", "5.0" and "1e2" are refused, not guessed at. The lot
     * listing pages by the same rule.
     */
    static int limit(String text) {
        if (text.isEmpty() || text.length() > 3 || text.charAt(0) == '0' || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidValueException(LIMIT_MESSAGE);
        }
        int limit = Integer.parseInt(text);
        if (limit > ListTransactions.MAX_LIMIT) {
            throw new InvalidValueException(LIMIT_MESSAGE);
        }
        return limit;
    }
}
