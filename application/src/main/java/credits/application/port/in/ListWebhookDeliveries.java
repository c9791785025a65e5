package credits.application.port.in;

import credits.domain.DeliveryPage;
import credits.domain.EndpointId;
import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;

import java.util.Objects;
import java.util.Optional;

/** An admin reads an endpoint's deliveries, newest first, a page at a time: what is pending, delivered or failed. */
public interface ListWebhookDeliveries {

    int DEFAULT_LIMIT = 50;
    int MAX_LIMIT = 200;

    /** Empty when there is no such endpoint (or it was deleted). */
    Optional<DeliveryPage> list(Query query);

    record Query(EndpointId endpointId, Optional<HistoryCursor> after, int limit) {

        public Query {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(after, "after");
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidValueException("must be from 1 to " + MAX_LIMIT);
            }
        }
    }
}
