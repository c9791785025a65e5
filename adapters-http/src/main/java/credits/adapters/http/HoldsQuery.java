package credits.adapters.http;

import credits.adapters.http.error.FieldErrors;
import credits.application.port.in.ListHolds;
import credits.domain.HistoryCursor;
import credits.domain.HoldStatus;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import io.helidon.common.uri.UriQuery;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ?status=&limit=&cursor=} of one user's hold listing, validated as strictly as the history's query:
 * {@code status} is one of the four statuses, {@code limit} and {@code cursor} follow the history's rules, and the
 * cursor opens only the listing of the holds it came from.
 */
record HoldsQuery(UserId owner, ListHolds.Query query) {

    static final String STATUS = "status";
    private static final Set<String> PARAMETERS = Set.of(STATUS, TransactionsQuery.LIMIT, TransactionsQuery.CURSOR);
    private static final String STATUS_MESSAGE = "must be one of " + Arrays.stream(HoldStatus.values())
            .map(HoldStatus::code).collect(Collectors.joining(", ")) + " (or left out, for every hold)";

    /** The query on {@code owner}'s holds; empty when anything is wrong with it (or already was), each problem recorded. */
    static Optional<HoldsQuery> from(UriQuery query, Optional<UserId> owner, HistoryCursors cursors, FieldErrors errors) {
        QueryParameters.allowOnly(query, PARAMETERS, errors);
        Optional<HoldStatus> status = QueryParameters.single(query, STATUS, errors)
                .flatMap(text -> errors.check(STATUS, () -> status(text)));
        int limit = QueryParameters.single(query, TransactionsQuery.LIMIT, errors)
                .flatMap(text -> errors.check(TransactionsQuery.LIMIT, () -> TransactionsQuery.limit(text)))
                .orElse(ListHolds.DEFAULT_LIMIT);
        Optional<String> cursor = QueryParameters.single(query, TransactionsQuery.CURSOR, errors);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        Optional<HistoryCursor> after = cursor.flatMap(text ->
                errors.check(TransactionsQuery.CURSOR, () -> cursors.decode(owner.get(), text)));
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HoldsQuery(owner.get(), new ListHolds.Query(owner.get(), status, after, limit)));
    }

    private static HoldStatus status(String text) {
        return HoldStatus.fromCode(text).orElseThrow(() -> new InvalidValueException(STATUS_MESSAGE));
    }
}
