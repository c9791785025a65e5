package credits.adapters.http.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import credits.adapters.http.json.ApiTimestamps;
import credits.adapters.http.json.JsonResponses;
import credits.domain.ApiText;
import credits.domain.CreditEvent;
import credits.domain.EntryId;

import java.io.UncheckedIOException;

/**
 * The body every delivery of an event carries (api.md, "Alerts and webhooks"): the event's id, type and
 * time, and a {@code data} object whose every member is always present ({@code null} when it does not
 * apply), amounts and instants in the API's own formats.
 */
@JsonPropertyOrder({"id", "type", "created_at", "data"})
public record WebhookBody(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("data") Data data) {

    @JsonPropertyOrder({"user_id", "balance_usdc", "available_usdc", "threshold_usdc", "entry_id", "hold_id"})
    public record Data(
            @JsonProperty("user_id") String userId,
            @JsonProperty("balance_usdc") String balanceUsdc,
            @JsonProperty("available_usdc") String availableUsdc,
            @JsonProperty("threshold_usdc") String thresholdUsdc,
            @JsonProperty("entry_id") String entryId,
            @JsonProperty("hold_id") String holdId) {
    }

    public static WebhookBody from(CreditEvent event) {
        return new WebhookBody(event.id().toString(), event.type().code(), ApiTimestamps.format(event.createdAt()),
                new Data(event.userId().value(), ApiText.usdc(event.balance()), ApiText.usdc(event.available()),
                        event.threshold().map(ApiText::usdc).orElse(null),
                        event.entryId().map(EntryId::toString).orElse(null),
                        event.holdId().map(EntryId::toString).orElse(null)));
    }

    /** The raw body as sent and signed: UTF-8 JSON. */
    public static byte[] bytes(CreditEvent event) {
        try {
            return JsonResponses.mapper().writeValueAsBytes(from(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
