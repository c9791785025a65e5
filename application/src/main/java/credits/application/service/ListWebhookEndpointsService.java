package credits.application.service;

import credits.application.port.in.ListWebhookEndpoints;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhooksPort;

import java.util.List;
import java.util.Objects;

public final class ListWebhookEndpointsService implements ListWebhookEndpoints {

    private final WebhooksPort webhooks;

    public ListWebhookEndpointsService(WebhooksPort webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    @Override
    public List<WebhookEndpoint> list() {
        return webhooks.endpoints();
    }
}
