package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.GrantCredits;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import credits.domain.LedgerText;
import credits.domain.LotCategory;
import credits.domain.LotTerms;
import credits.domain.UserId;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The body of {@code POST /api/admin/billing/credits/grant}: {@code {"user_id", "amount_usdc", "reason"?,
 * "category"?, "priority"?, "expires_at"?}}. Left out (or {@code null}), the lot's terms are the defaults: a
 * promotional lot of priority 50 that never expires.
 */
record GrantRequest(AmountForUser amount, LotTerms terms) {

    static final String CATEGORY = "category";
    static final String PRIORITY = "priority";
    static final String EXPIRES_AT = "expires_at";
    private static final String REASON = "reason";
    private static final Set<String> FIELDS =
            Set.of(AmountForUser.USER_ID, AmountForUser.AMOUNT, REASON, CATEGORY, PRIORITY, EXPIRES_AT);

    /**
     * @param now the instant {@code expires_at} must lie after (and at most ten years beyond)
     * @throws credits.adapters.http.error.ApiException 400 naming every bad field
     */
    static GrantRequest from(JsonNode body, Instant now) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Supplier<AmountForUser> amount = AmountForUser.read(fields, REASON, LedgerText::reason);
        Optional<LotCategory> category = fields.optional(CATEGORY, GrantRequest::category);
        Optional<Integer> priority = fields.optionalInteger(PRIORITY, LotTerms::requirePriority);
        Optional<Instant> expiresAt = fields.optional(EXPIRES_AT, text -> ExpiryInstants.parse(text, now));
        fields.throwIfInvalid();
        LotTerms terms = new LotTerms(category.orElse(LotTerms.DEFAULT_GRANT.category()),
                priority.orElse(LotTerms.DEFAULT_PRIORITY), expiresAt);
        return new GrantRequest(amount.get(), terms);
    }

    GrantCredits.Command command(UserId caller, IdempotencyKey key) {
        return new GrantCredits.Command(caller, key, amount.userId(), amount.amount(), terms, amount.text());
    }

    private static LotCategory category(String text) {
        return LotCategory.fromCode(text).orElseThrow(() -> new InvalidValueException("must be \"promotional\" or \"paid\""));
    }
}
