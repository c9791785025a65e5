package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.domain.HoldPage;
import credits.domain.UserId;

import java.util.List;

/** A page of a user's holds, newest first: {@code next_cursor} is {@code null} on the last page, never left out. */
@JsonPropertyOrder({"data", "next_cursor"})
public record HoldsResponse(
        @JsonProperty("data") List<HoldResponse> data,
        @JsonProperty("next_cursor") String nextCursor) {

    /** {@code owner}'s page as it was read: its next cursor sealed for that user's holds alone. */
    static HoldsResponse from(HoldPage page, UserId owner, HistoryCursors cursors) {
        return new HoldsResponse(
                page.holds().stream().map(HoldResponse::from).toList(),
                page.next().map(next -> cursors.encode(owner, next)).orElse(null));
    }
}
