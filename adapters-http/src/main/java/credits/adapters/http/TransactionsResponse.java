package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.domain.HistoryPage;
import credits.domain.UserId;

import java.util.List;

/** A page of history: {@code next_cursor} is {@code null} on the last page, never left out. */
@JsonPropertyOrder({"data", "next_cursor"})
public record TransactionsResponse(
        @JsonProperty("data") List<TransactionResponse> data,
        @JsonProperty("next_cursor") String nextCursor) {

    /** {@code owner}'s page: its next cursor sealed for that user alone. */
    static TransactionsResponse from(HistoryPage page, UserId owner, HistoryCursors cursors) {
        return new TransactionsResponse(
                page.entries().stream().map(TransactionResponse::from).toList(),
                page.next().map(next -> cursors.encode(owner, next)).orElse(null));
    }
}
