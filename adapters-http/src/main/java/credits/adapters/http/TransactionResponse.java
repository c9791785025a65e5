package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.LedgerEntry;
import credits.domain.LotTerms;

import java.util.List;

/**
 * One ledger entry, as the money-moving POSTs answer it and as history lists it. Every member the contract
 * gives every entry is always present ({@code null} when the entry has no such value, {@code drawn_from}
 * {@code []}), so clients read one shape. A grant or top-up adds its lot's terms, a top-up its deposit: those
 * members appear only on those types (unwrapped, so an absent part writes nothing).
 */
@JsonPropertyOrder({"id", "type", "user_id", "amount_usdc", "balance_after_usdc", "reference", "reason", "deduction_id",
        "hold_id", "grant_id", "drawn_from", "lot", "deposit", "hash", "created_at"})
public record TransactionResponse(
        @JsonProperty("id") String id,
        @JsonProperty("type") String type,
        @JsonProperty("user_id") String userId,
        @JsonProperty("amount_usdc") String amountUsdc,
        @JsonProperty("balance_after_usdc") String balanceAfterUsdc,
        @JsonProperty("reference") String reference,
        @JsonProperty("reason") String reason,
        @JsonProperty("deduction_id") String deductionId,
        @JsonProperty("hold_id") String holdId,
        @JsonProperty("grant_id") String grantId,
        @JsonProperty("drawn_from") List<DrawResponse> drawnFrom,
        @JsonUnwrapped LotResponse lot,
        @JsonUnwrapped DepositResponse deposit,
        @JsonProperty("hash") String hash,
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
                entry.holdId().map(EntryId::toString).orElse(null),
                entry.grantId().map(EntryId::toString).orElse(null),
                entry.drawnFrom().stream().map(DrawResponse::from).toList(),
                entry.lot().map(LotResponse::from).orElse(null),
                entry.deposit().map(DepositResponse::from).orElse(null),
                entry.hash().orElse(null),
                ApiTimestamps.format(entry.createdAt()));
    }

    /** One item of {@code drawn_from}: which lot, and how much of it. */
    @JsonPropertyOrder({"grant_id", "amount_usdc"})
    public record DrawResponse(@JsonProperty("grant_id") String grantId, @JsonProperty("amount_usdc") String amountUsdc) {

        static DrawResponse from(Draw draw) {
            return new DrawResponse(draw.lotId().toString(), draw.amount().format());
        }
    }

    /** The terms of the lot a grant or top-up opened; {@code expires_at} is {@code null} for a lot that never expires. */
    @JsonPropertyOrder({"category", "priority", "expires_at"})
    public record LotResponse(
            @JsonProperty("category") String category,
            @JsonProperty("priority") int priority,
            @JsonProperty("expires_at") String expiresAt) {

        static LotResponse from(LotTerms terms) {
            return new LotResponse(terms.category().code(), terms.priority(),
                    terms.expiresAt().map(ApiTimestamps::format).orElse(null));
        }
    }

    /** A top-up's payment. */
    @JsonPropertyOrder({"payment_reference", "memo"})
    public record DepositResponse(
            @JsonProperty("payment_reference") String paymentReference,
            @JsonProperty("memo") String memo) {

        static DepositResponse from(LedgerEntry.Deposit deposit) {
            return new DepositResponse(deposit.paymentReference(), deposit.memo().orElse(null));
        }
    }
}
