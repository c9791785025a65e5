package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.PlaceHold;
import credits.domain.HoldRequest;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import credits.domain.LedgerText;
import credits.domain.UserId;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The body of {@code POST /api/billing/credits/holds}: {@code {"user_id", "amount_usdc", "reference"?,
 * "expires_in_seconds"?}}. {@code expires_in_seconds} is a JSON integer (as {@code priority} is: {@code "60"} and
 * {@code 1.5} are refused); left out (or {@code null}) the hold lasts the default 900 seconds.
 */
record PlaceHoldRequest(AmountForUser amount, Optional<Duration> expiresIn) {

    static final String EXPIRES_IN_SECONDS = "expires_in_seconds";
    private static final String REFERENCE = "reference";
    private static final Set<String> FIELDS = Set.of(AmountForUser.USER_ID, AmountForUser.AMOUNT, REFERENCE, EXPIRES_IN_SECONDS);

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static PlaceHoldRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Supplier<AmountForUser> amount = AmountForUser.read(fields, REFERENCE, LedgerText::reference);
        Optional<Duration> expiresIn = fields.optionalInteger(EXPIRES_IN_SECONDS, PlaceHoldRequest::expiresIn);
        fields.throwIfInvalid();
        return new PlaceHoldRequest(amount.get(), expiresIn);
    }

    PlaceHold.Command command(UserId caller, IdempotencyKey key) {
        return new PlaceHold.Command(caller, key, amount.userId(), amount.amount(), amount.text(), expiresIn);
    }

    private static Duration expiresIn(int seconds) {
        if (seconds < HoldRequest.SHORTEST.toSeconds() || seconds > HoldRequest.LONGEST.toSeconds()) {
            throw new InvalidValueException("must be a whole number of seconds from " + HoldRequest.SHORTEST.toSeconds()
                    + " to " + HoldRequest.LONGEST.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }
}
