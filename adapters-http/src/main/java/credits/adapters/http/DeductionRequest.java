package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.DeductCredits;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;

/** The body of {@code POST /api/billing/credits/deductions}: {@code {"user_id", "amount_usdc", "reference"?}}. */
record DeductionRequest(UserId userId, Usdc amount, Optional<String> reference) {

    private static final Set<String> FIELDS = Set.of("user_id", "amount_usdc", "reference");

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static DeductionRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Optional<UserId> userId = fields.required("user_id", UserId::of);
        Optional<Usdc> amount = fields.required("amount_usdc", Amounts::positive);
        Optional<String> reference = fields.optional("reference", LedgerText::reference);
        fields.throwIfInvalid();
        return new DeductionRequest(userId.orElseThrow(), amount.orElseThrow(), reference);
    }

    DeductCredits.Command command(UserId caller, IdempotencyKey key) {
        return new DeductCredits.Command(caller, key, userId, amount, reference);
    }
}
