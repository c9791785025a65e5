package credits.adapters.http;

import credits.adapters.http.error.FieldErrors;
import credits.application.port.in.ListLots;
import credits.domain.InvalidValueException;
import credits.domain.LotPage;
import credits.domain.UserId;
import io.helidon.common.uri.UriQuery;

import java.util.Optional;
import java.util.Set;

/**
 * {@code ?include=all&limit=&cursor=} of one user's lot listing, validated as strictly as the history's query:
 * {@code include} knows only {@code all}, {@code limit} and {@code cursor} follow the history's rules, and the
 * cursor opens only the listing of the lots it came from.
 */
record LotsQuery(UserId owner, LotPage.Query query) {

    static final String INCLUDE = "include";
    static final String ALL = "all";
    private static final Set<String> PARAMETERS = Set.of(INCLUDE, TransactionsQuery.LIMIT, TransactionsQuery.CURSOR);

    /** The query on {@code owner}'s lots; empty when anything is wrong with it (or already was), each problem recorded. */
    static Optional<LotsQuery> from(UriQuery query, Optional<UserId> owner, LotCursors cursors, FieldErrors errors) {
        QueryParameters.allowOnly(query, PARAMETERS, errors);
        Optional<Boolean> includeAll = QueryParameters.single(query, INCLUDE, errors)
                .flatMap(text -> errors.check(INCLUDE, () -> includeAll(text)));
        int limit = QueryParameters.single(query, TransactionsQuery.LIMIT, errors)
                .flatMap(text -> errors.check(TransactionsQuery.LIMIT, () -> TransactionsQuery.limit(text)))
                .orElse(ListLots.DEFAULT_LIMIT);
        Optional<String> cursor = QueryParameters.single(query, TransactionsQuery.CURSOR, errors);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        Optional<LotPage.Cursor> after = cursor.flatMap(text ->
                errors.check(TransactionsQuery.CURSOR, () -> cursors.decode(owner.get(), text)));
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LotsQuery(owner.get(), ListLots.query(includeAll.orElse(false), after, limit)));
    }

    private static boolean includeAll(String text) {
        if (!ALL.equals(text)) {
            throw new InvalidValueException("must be \"all\" (or left out, for open lots only)");
        }
        return true;
    }
}
