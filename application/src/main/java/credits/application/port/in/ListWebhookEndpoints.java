package credits.application.port.in;

import credits.domain.WebhookEndpoint;

import java.util.List;

/** An admin reads the endpoints that are not deleted, oldest first. */
public interface ListWebhookEndpoints {

    List<WebhookEndpoint> list();
}
