package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.EntryId;
import credits.domain.Hold;
import credits.domain.Usdc;

/**
 * A hold as the contract shows it. Every member is always present: {@code captured_usdc}, {@code resolved_at} and
 * {@code deduction_id} are {@code null} until a capture (or, for {@code resolved_at}, any end) sets them.
 */
@JsonPropertyOrder({"id", "user_id", "status", "amount_usdc", "captured_usdc", "reference", "expires_at", "created_at",
        "resolved_at", "deduction_id"})
public record HoldResponse(
        @JsonProperty("id") String id,
        @JsonProperty("user_id") String userId,
        @JsonProperty("status") String status,
        @JsonProperty("amount_usdc") String amountUsdc,
        @JsonProperty("captured_usdc") String capturedUsdc,
        @JsonProperty("reference") String reference,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("resolved_at") String resolvedAt,
        @JsonProperty("deduction_id") String deductionId) {

    static HoldResponse from(Hold hold) {
        return new HoldResponse(
                hold.id().toString(),
                hold.userId().value(),
                hold.status().code(),
                hold.amount().format(),
                hold.captured().map(Usdc::format).orElse(null),
                hold.reference().orElse(null),
                ApiTimestamps.format(hold.expiresAt()),
                ApiTimestamps.format(hold.createdAt()),
                hold.resolvedAt().map(ApiTimestamps::format).orElse(null),
                hold.deductionId().map(EntryId::toString).orElse(null));
    }
}
