package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.domain.HistoryPage;

import java.util.List;

/** A page of history: {@code next_cursor} is {@code null} on the last page, never left out. */
@JsonPropertyOrder({"data", "next_cursor"})
public record TransactionsResponse(
        @JsonProperty("data") List<TransactionResponse> data,
        @JsonProperty("next_cursor") String nextCursor) {

    public static TransactionsResponse from(HistoryPage page) {
        return new TransactionsResponse(
                page.entries().stream().map(TransactionResponse::from).toList(),
                page.next().map(HistoryCursors::encode).orElse(null));
    }
}
