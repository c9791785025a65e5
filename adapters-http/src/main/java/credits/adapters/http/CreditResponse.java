package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Credit;

/** The body of {@code GET /api/billing/credits}: money as canonical decimal strings, times in the contract's format. */
@JsonPropertyOrder({"user_id", "balance_usdc", "available_usdc", "created_at", "updated_at"})
public record CreditResponse(
        @JsonProperty("user_id") String userId,
        @JsonProperty("balance_usdc") String balanceUsdc,
        @JsonProperty("available_usdc") String availableUsdc,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    public static CreditResponse from(Credit credit) {
        return new CreditResponse(
                credit.userId().value(),
                credit.balance().format(),
                credit.available().format(),
                ApiTimestamps.format(credit.createdAt()),
                ApiTimestamps.format(credit.updatedAt()));
    }
}
