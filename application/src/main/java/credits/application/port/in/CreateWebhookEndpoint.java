package credits.application.port.in;

import credits.domain.CreditEventType;
import credits.domain.WebhookEndpoint;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An admin adds an endpoint that gets the events recorded from now on, signed with a secret made for it. */
public interface CreateWebhookEndpoint {

    /** @return the endpoint as stored, its secret included (the only time anyone is shown it) */
    WebhookEndpoint create(Command command);

    record Command(URI url, Set<CreditEventType> events, Optional<String> description) {

        public Command {
            url = WebhookEndpoint.requireUrl(url);
            events = Set.copyOf(events);
            Objects.requireNonNull(description, "description");
        }
    }
}
