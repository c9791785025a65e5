package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import credits.domain.WebhookEndpoint;

import java.util.List;

/** Every endpoint not deleted, oldest first, without secrets; one page, as admins keep a handful. */
public record WebhookEndpointsResponse(@JsonProperty("data") List<WebhookEndpointResponse> data) {

    static WebhookEndpointsResponse from(List<WebhookEndpoint> endpoints) {
        return new WebhookEndpointsResponse(endpoints.stream().map(WebhookEndpointResponse::from).toList());
    }
}
