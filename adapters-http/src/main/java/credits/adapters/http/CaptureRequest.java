package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.CaptureHold;
import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/billing/credits/holds/{hold_id}/capture}: {@code {"amount_usdc"?, "reference"?}}.
 * Without an amount the whole hold is charged; without a reference the deduction takes the hold's. An amount of
 * {@code "0"} is a 400, as everywhere: releasing is how nothing is charged.
 */
record CaptureRequest(Optional<Usdc> amount, Optional<String> reference) {

    private static final Set<String> FIELDS = Set.of(AmountForUser.AMOUNT, "reference");

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static CaptureRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Optional<Usdc> amount = fields.optional(AmountForUser.AMOUNT, Amounts::positive);
        Optional<String> reference = fields.optional("reference", LedgerText::reference);
        fields.throwIfInvalid();
        return new CaptureRequest(amount, reference);
    }

    CaptureHold.Command command(UserId caller, IdempotencyKey key, EntryId holdId) {
        return new CaptureHold.Command(caller, key, holdId, amount, reference);
    }
}
