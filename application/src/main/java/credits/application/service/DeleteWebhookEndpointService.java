package credits.application.service;

import credits.application.port.in.DeleteWebhookEndpoint;
import credits.domain.EndpointId;
import credits.domain.WebhooksPort;

import java.time.Clock;
import java.util.Objects;

public final class DeleteWebhookEndpointService implements DeleteWebhookEndpoint {

    private final WebhooksPort webhooks;
    private final Clock clock;

    public DeleteWebhookEndpointService(WebhooksPort webhooks, Clock clock) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean delete(EndpointId id) {
        return webhooks.deleteEndpoint(id, Timestamps.now(clock));
    }
}
