package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.RefundDeduction;
import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/admin/billing/credits/refunds}: {@code {"deduction_id", "amount_usdc"?, "reason"}}.
 * Without an amount the refund is whatever of the deduction is not yet refunded.
 *
 * <p>{@code deduction_id} must be a JSON string; any string is accepted, as ids are opaque to clients. One
 * that cannot be ours (not a UUID) leaves {@code deductionId} empty: an unknown deduction, like any other.
 */
record RefundRequest(Optional<EntryId> deductionId, Optional<Usdc> amount, String reason) {

    private static final Set<String> FIELDS = Set.of("deduction_id", "amount_usdc", "reason");

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static RefundRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Optional<String> deductionId = fields.required("deduction_id", text -> text);
        Optional<Usdc> amount = fields.optional("amount_usdc", Amounts::positive);
        // Required: support must say why money goes back.
        Optional<String> reason = fields.required("reason", LedgerText::reason);
        fields.throwIfInvalid();
        return new RefundRequest(EntryId.find(deductionId.orElseThrow()), amount, reason.orElseThrow());
    }

    /** The refund to ask for; empty when the deduction id names no entry, so there is nothing to look up. */
    Optional<RefundDeduction.Command> command(UserId caller, IdempotencyKey key) {
        return deductionId.map(id -> new RefundDeduction.Command(caller, key, id, amount, reason));
    }
}
