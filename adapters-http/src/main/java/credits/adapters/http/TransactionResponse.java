package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.EntryId;
import credits.domain.LedgerEntry;

/**
 * One ledger entry, as the money-moving POSTs answer it and as history lists it. Every member is
 * always present ({@code null} when the entry has no such value), so clients read one shape.
 */
@JsonPropertyOrder({"id", "type", "user_id", "amount_usdc", "balance_after_usdc", "reference", "reason", "deduction_id", "created_at"})
public record TransactionResponse(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("user_id") String userId,
        @JsonProperty("amount_usdc") String amountUsdc,
        @JsonProperty("balance_after_usdc") String balanceAfterUsdc,
        @JsonProperty("reference") String reference,
        @JsonProperty("reason") String reason,
        @JsonProperty("deduction_id") String deductionId,
        @JsonProperty("created_at") String createdAt) {

    public static TransactionResponse from(LedgerEntry entry) {
        return new TransactionResponse(
                entry.id().toString(),
                entry.type().code(),
                entry.userId().value(),
                entry.amount().format(),
                entry.balanceAfter().format(),
                entry.reference().orElse(null),
                entry.reason().orElse(null),
                entry.deductionId().map(EntryId::toString).orElse(null),
                ApiTimestamps.format(entry.createdAt()));
    }
}
