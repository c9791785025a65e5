package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.TopupCredits;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LedgerText;
import credits.domain.UserId;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The body of {@code POST /api/billing/credits/topups}: {@code {"user_id", "amount_usdc", "payment_reference",
 * "memo"?}}. The payment reference (1–255 characters, e.g. the on-chain transaction hash) is what makes one
 * payment credit once.
 */
record TopupRequest(AmountForUser amount, LedgerEntry.Deposit deposit) {

    static final String PAYMENT_REFERENCE = "payment_reference";
    private static final String MEMO = "memo";
    private static final Set<String> FIELDS = Set.of(AmountForUser.USER_ID, AmountForUser.AMOUNT, PAYMENT_REFERENCE, MEMO);

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static TopupRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Supplier<AmountForUser> amount = AmountForUser.read(fields, MEMO, LedgerText::memo);
        Optional<String> paymentReference = fields.required(PAYMENT_REFERENCE, LedgerText::paymentReference);
        fields.throwIfInvalid();
        AmountForUser read = amount.get();
        return new TopupRequest(read, new LedgerEntry.Deposit(paymentReference.orElseThrow(), read.text()));
    }

    TopupCredits.Command command(UserId caller, IdempotencyKey key) {
        return new TopupCredits.Command(caller, key, amount.userId(), amount.amount(), deposit);
    }
}
