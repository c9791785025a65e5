package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The body shared by a grant ({@code {"user_id", "amount_usdc", "reason"?}}) and a deduction
 * ({@code {"user_id", "amount_usdc", "reference"?}}): whose balance, how much, and one optional
 * text the ledger keeps, checked by its own rule.
 */
record AmountForUser(UserId userId, Usdc amount, Optional<String> text) {

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static AmountForUser from(JsonNode body, String textField, UnaryOperator<String> textRule) {
        BodyFields fields = BodyFields.of(body, Set.of("user_id", "amount_usdc", textField));
        Optional<UserId> userId = fields.required("user_id", UserId::of);
        Optional<Usdc> amount = fields.required("amount_usdc", Amounts::positive);
        Optional<String> text = fields.optional(textField, textRule::apply);
        fields.throwIfInvalid();
        return new AmountForUser(userId.orElseThrow(), amount.orElseThrow(), text);
    }
}
