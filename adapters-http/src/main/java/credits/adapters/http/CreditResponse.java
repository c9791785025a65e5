package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Balance;

/**
 * The body of {@code GET /api/billing/credits} and the admin read: money as canonical decimal strings, times in
 * the contract's format. {@code next_expiry_*} are {@code null} when nothing will expire.
 */
@JsonPropertyOrder({"user_id", "balance_usdc", "available_usdc", "held_usdc", "paid_usdc", "promotional_usdc",
        "next_expiry_at", "next_expiry_usdc", "created_at", "updated_at"})
public record CreditResponse(
        @JsonProperty("user_id") String userId,
        @JsonProperty("balance_usdc") String balanceUsdc,
        @JsonProperty("available_usdc") String availableUsdc,
        @JsonProperty("held_usdc") String heldUsdc,
        @JsonProperty("paid_usdc") String paidUsdc,
        @JsonProperty("promotional_usdc") String promotionalUsdc,
        @JsonProperty("next_expiry_at") String nextExpiryAt,
        @JsonProperty("next_expiry_usdc") String nextExpiryUsdc,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static CreditResponse from(Balance balance) {
        return new CreditResponse(
                balance.userId().value(),
                balance.balance().format(),
                balance.available().format(),
                balance.held().format(),
                balance.paid().format(),
                balance.promotional().format(),
                balance.nextExpiry().map(next -> ApiTimestamps.format(next.at())).orElse(null),
                balance.nextExpiry().map(next -> next.amount().format()).orElse(null),
                ApiTimestamps.format(balance.createdAt()),
                ApiTimestamps.format(balance.updatedAt()));
    }
}
