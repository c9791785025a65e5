package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The part every money-in and money-out body shares: whose balance ({@code user_id}), how much
 * ({@code amount_usdc}), and one optional text the ledger keeps ({@code reason} of a grant, {@code reference} of
 * a deduction, {@code memo} of a top-up), checked by its own rule.
 */
record AmountForUser(UserId userId, Usdc amount, Optional<String> text) {

    static final String USER_ID = "user_id";
    static final String AMOUNT = "amount_usdc";

    /** A body of exactly these three members. @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static AmountForUser from(JsonNode body, String textField, UnaryOperator<String> textRule) {
        BodyFields fields = BodyFields.of(body, Set.of(USER_ID, AMOUNT, textField));
        Supplier<AmountForUser> read = read(fields, textField, textRule);
        fields.throwIfInvalid();
        return read.get();
    }

    /**
     * Reads the three members of a body that has more ({@code fields} must know them all), recording what is bad;
     * the result may be asked for only once {@code fields} turned out valid.
     */
    static Supplier<AmountForUser> read(BodyFields fields, String textField, UnaryOperator<String> textRule) {
        Optional<UserId> userId = fields.required(USER_ID, UserId::of);
        Optional<Usdc> amount = fields.required(AMOUNT, Amounts::positive);
        Optional<String> text = fields.optional(textField, textRule::apply);
        return () -> new AmountForUser(userId.orElseThrow(), amount.orElseThrow(), text);
    }
}
