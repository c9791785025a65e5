package credits.adapters.http;

import credits.adapters.http.error.FieldErrors;
import credits.application.port.in.ListWebhookDeliveries;
import credits.domain.EndpointId;
import credits.domain.HistoryCursor;
import io.helidon.common.uri.UriQuery;

import java.util.Optional;
import java.util.Set;

/**
 * {@code ?limit=&cursor=} of an endpoint's deliveries, by the history's rules: {@code limit} 1-200 (default 50),
 * and a cursor that opens only the deliveries of the endpoint it came from.
 */
final class DeliveriesQuery {

    private static final Set<String> PARAMETERS = Set.of(TransactionsQuery.LIMIT, TransactionsQuery.CURSOR);

    private DeliveriesQuery() {
    }

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad parameter */
    static ListWebhookDeliveries.Query from(UriQuery query, EndpointId endpoint, DeliveryCursors cursors) {
        FieldErrors errors = new FieldErrors();
        QueryParameters.allowOnly(query, PARAMETERS, errors);
        int limit = QueryParameters.single(query, TransactionsQuery.LIMIT, errors)
                .flatMap(text -> errors.check(TransactionsQuery.LIMIT, () -> TransactionsQuery.limit(text)))
                .orElse(ListWebhookDeliveries.DEFAULT_LIMIT);
        Optional<HistoryCursor> after = QueryParameters.single(query, TransactionsQuery.CURSOR, errors)
                .flatMap(text -> errors.check(TransactionsQuery.CURSOR, () -> cursors.decode(endpoint, text)));
        errors.throwIfAny();
        return new ListWebhookDeliveries.Query(endpoint, after, limit);
    }
}
