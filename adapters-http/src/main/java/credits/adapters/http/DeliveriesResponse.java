package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.domain.DeliveryPage;
import credits.domain.EndpointId;

import java.util.List;

/** A page of an endpoint's deliveries, newest first: {@code next_cursor} is {@code null} on the last page, never left out. */
@JsonPropertyOrder({"data", "next_cursor"})
public record DeliveriesResponse(
        @JsonProperty("data") List<DeliveryResponse> data,
        @JsonProperty("next_cursor") String nextCursor) {

    /** The page as it was read, its next cursor sealed for that endpoint's deliveries alone. */
    static DeliveriesResponse from(DeliveryPage page, EndpointId endpoint, DeliveryCursors cursors) {
        return new DeliveriesResponse(page.deliveries().stream().map(DeliveryResponse::from).toList(),
                page.next().map(next -> cursors.encode(endpoint, next)).orElse(null));
    }
}
