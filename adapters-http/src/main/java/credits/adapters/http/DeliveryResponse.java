package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Delivery;

/**
 * One event's delivery to one endpoint. {@code last_status_code} is {@code null} until an attempt got an answer
 * (a timeout has none); {@code next_attempt_at} is {@code null} once it is {@code delivered} or {@code failed}.
 */
@JsonPropertyOrder({"event_id", "type", "status", "attempts", "last_status_code", "next_attempt_at", "created_at"})
public record DeliveryResponse(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("type") String type,
        @JsonProperty("status") String status,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("last_status_code") Integer lastStatusCode,
        @JsonProperty("next_attempt_at") String nextAttemptAt,
        @JsonProperty("created_at") String createdAt) {

    static DeliveryResponse from(Delivery delivery) {
        return new DeliveryResponse(delivery.eventId().toString(), delivery.type().code(), delivery.status().code(),
                delivery.attempts(), delivery.lastStatusCode().orElse(null),
                delivery.nextAttemptAt().map(ApiTimestamps::format).orElse(null), ApiTimestamps.format(delivery.createdAt()));
    }
}
