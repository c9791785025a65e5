package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.GrantCredits;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;

/** The body of {@code POST /api/admin/billing/credits/grant}: {@code {"user_id", "amount_usdc", "reason"?}}. */
record GrantRequest(UserId userId, Usdc amount, Optional<String> reason) {

    private static final Set<String> FIELDS = Set.of("user_id", "amount_usdc", "reason");

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static GrantRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Optional<UserId> userId = fields.required("user_id", UserId::of);
        Optional<Usdc> amount = fields.required("amount_usdc", Amounts::positive);
        Optional<String> reason = fields.optional("reason", LedgerText::reason);
        fields.throwIfInvalid();
        return new GrantRequest(userId.orElseThrow(), amount.orElseThrow(), reason);
    }

    GrantCredits.Command command(UserId caller, IdempotencyKey key) {
        return new GrantCredits.Command(caller, key, userId, amount, reason);
    }
}
