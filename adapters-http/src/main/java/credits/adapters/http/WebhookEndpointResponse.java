package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.CreditEventType;
import credits.domain.WebhookEndpoint;

import java.util.List;

/**
 * A webhook endpoint as the listing shows it: never its secret, which only the creation's answer
 * ({@link CreatedWebhookEndpointResponse}) carries. {@code events} are in the order of the API's event list;
 * {@code description} is {@code null} when none was given.
 */
@JsonPropertyOrder({"id", "url", "events", "description", "created_at"})
public record WebhookEndpointResponse(
        @JsonProperty("id") String id,
        @JsonProperty("url") String url,
        @JsonProperty("events") List<String> events,
        @JsonProperty("description") String description,
        @JsonProperty("created_at") String createdAt) {

    static WebhookEndpointResponse from(WebhookEndpoint endpoint) {
        return new WebhookEndpointResponse(endpoint.id().toString(), endpoint.url().toString(), events(endpoint),
                endpoint.description().orElse(null), ApiTimestamps.format(endpoint.createdAt()));
    }

    static List<String> events(WebhookEndpoint endpoint) {
        // Declaration order, not the set's: the same endpoint always lists its events the same way.
        return endpoint.events().stream().sorted().map(CreditEventType::code).toList();
    }
}
