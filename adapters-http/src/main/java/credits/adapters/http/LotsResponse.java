package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Lot;
import credits.domain.LotPage;
import credits.domain.UserId;

import java.time.Instant;
import java.util.List;

/** A page of a user's lots in burn-down order: {@code next_cursor} is {@code null} on the last page, never left out. */
@JsonPropertyOrder({"data", "next_cursor"})
public record LotsResponse(
        @JsonProperty("data") List<LotResponse> data,
        @JsonProperty("next_cursor") String nextCursor) {

    /** {@code owner}'s page as it was read: its next cursor sealed for that user's lots alone. */
    static LotsResponse from(LotPage page, UserId owner, LotCursors cursors) {
        return new LotsResponse(
                page.lots().stream().map(lot -> LotResponse.from(lot, page.at())).toList(),
                page.next().map(next -> cursors.encode(owner, next)).orElse(null));
    }

    /** One lot; {@code expires_at} is {@code null} for a lot that never expires. */
    @JsonPropertyOrder({"grant_id", "category", "priority", "expires_at", "original_usdc", "remaining_usdc", "reserved_usdc",
            "status", "created_at"})
    public record LotResponse(
            @JsonProperty("grant_id") String grantId,
            @JsonProperty("category") String category,
            @JsonProperty("priority") int priority,
            @JsonProperty("expires_at") String expiresAt,
            @JsonProperty("original_usdc") String originalUsdc,
            @JsonProperty("remaining_usdc") String remainingUsdc,
            @JsonProperty("reserved_usdc") String reservedUsdc,
            @JsonProperty("status") String status,
            @JsonProperty("created_at") String createdAt) {

        static LotResponse from(Lot lot, Instant now) {
            return new LotResponse(
                    lot.id().toString(),
                    lot.terms().category().code(),
                    lot.terms().priority(),
                    lot.terms().expiresAt().map(ApiTimestamps::format).orElse(null),
                    lot.original().format(),
                    lot.remaining().format(),
                    lot.reserved().format(),
                    lot.statusAt(now).code(),
                    ApiTimestamps.format(lot.createdAt()));
        }
    }
}
