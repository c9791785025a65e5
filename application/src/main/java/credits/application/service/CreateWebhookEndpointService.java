package credits.application.service;

import credits.application.port.in.CreateWebhookEndpoint;
import credits.domain.EndpointId;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhookSecret;
import credits.domain.WebhooksPort;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

public final class CreateWebhookEndpointService implements CreateWebhookEndpoint {

    private final WebhooksPort webhooks;
    private final Clock clock;
    private final Supplier<EndpointId> ids;
    private final Supplier<WebhookSecret> secrets;

    /** Random ids and secrets, as the service runs. */
    public CreateWebhookEndpointService(WebhooksPort webhooks, Clock clock) {
        this(webhooks, clock, EndpointId::random, WebhookSecret::random);
    }

    /** With the ids and secrets given, for tests and documented examples that show fixed ones. */
    public CreateWebhookEndpointService(WebhooksPort webhooks, Clock clock, Supplier<EndpointId> ids,
                                        Supplier<WebhookSecret> secrets) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public WebhookEndpoint create(Command command) {
        WebhookEndpoint endpoint = new WebhookEndpoint(ids.get(), command.url(), command.events(), command.description(),
                secrets.get(), Timestamps.now(clock));
        webhooks.createEndpoint(endpoint);
        return endpoint;
    }
}
