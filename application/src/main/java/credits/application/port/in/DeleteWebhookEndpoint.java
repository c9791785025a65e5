package credits.application.port.in;

import credits.domain.EndpointId;

/** An admin deletes an endpoint: it gets nothing more, pending deliveries included. */
public interface DeleteWebhookEndpoint {

    /** {@code false} when there is no such endpoint (or it was deleted already). */
    boolean delete(EndpointId id);
}
