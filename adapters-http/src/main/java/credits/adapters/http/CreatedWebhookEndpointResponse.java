package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.WebhookEndpoint;

import java.util.List;

/** A webhook endpoint as its creation answers it: the one time its {@code secret} ({@code whsec_…}) is shown. */
@JsonPropertyOrder({"id", "url", "events", "description", "secret", "created_at"})
public record CreatedWebhookEndpointResponse(
        @JsonProperty("id") String id,
        @JsonProperty("url") String url,
        @JsonProperty("events") List<String> events,
        @JsonProperty("description") String description,
        @JsonProperty("secret") String secret,
        @JsonProperty("created_at") String createdAt) {

    static CreatedWebhookEndpointResponse from(WebhookEndpoint endpoint) {
        return new CreatedWebhookEndpointResponse(endpoint.id().toString(), endpoint.url().toString(),
                WebhookEndpointResponse.events(endpoint), endpoint.description().orElse(null), endpoint.secret().text(),
                ApiTimestamps.format(endpoint.createdAt()));
    }
}
