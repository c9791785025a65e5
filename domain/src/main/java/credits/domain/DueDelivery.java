package credits.domain;

import java.net.URI;
import java.util.Objects;

/**
 * A delivery claimed for an attempt: the event, where it goes, the key it is signed with and how
 * many attempts came before this one. Only the instance that claimed it sends it until its claim
 * lapses.
 */
public record DueDelivery(CreditEvent event, EndpointId endpointId, URI url, WebhookSecret secret, int attemptsBefore) {

    public DueDelivery {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
    }
}
