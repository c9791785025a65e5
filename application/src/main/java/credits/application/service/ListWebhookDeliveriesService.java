package credits.application.service;

import credits.application.port.in.ListWebhookDeliveries;
import credits.domain.DeliveryPage;
import credits.domain.WebhooksPort;

import java.util.Objects;
import java.util.Optional;

public final class ListWebhookDeliveriesService implements ListWebhookDeliveries {

    private final WebhooksPort webhooks;

    public ListWebhookDeliveriesService(WebhooksPort webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    @Override
    public Optional<DeliveryPage> list(Query query) {
        return webhooks.deliveries(query.endpointId(), query.after(), query.limit());
    }
}
