package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.SetLowBalanceThreshold;
import credits.domain.Usdc;
import credits.domain.UserId;

import java.util.Optional;
import java.util.Set;

/**
 * The body of a {@code PUT} of alerts: {@code {"low_balance_usdc": "5.00"}} sets the user's own threshold, an
 * amount as any other in the API and above zero; {@code {"low_balance_usdc": null}} removes it. The member is
 * required either way, so an empty body never clears a threshold by accident.
 */
record AlertRequest(Optional<Usdc> threshold) {

    static final String LOW_BALANCE = "low_balance_usdc";

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static AlertRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, Set.of(LOW_BALANCE));
        Optional<Usdc> threshold = fields.requiredOrNull(LOW_BALANCE, Amounts::positive);
        fields.throwIfInvalid();
        return new AlertRequest(threshold);
    }

    SetLowBalanceThreshold.Command command(UserId userId) {
        return new SetLowBalanceThreshold.Command(userId, threshold);
    }
}
