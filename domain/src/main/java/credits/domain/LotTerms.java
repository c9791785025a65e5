package credits.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * What a grant or top-up opens its lot with: the category, the priority (lower is used first) and
 * when it expires, if ever.
 */
public record LotTerms(LotCategory category, int priority, Optional<Instant> expiresAt) {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 100;
    public static final int DEFAULT_PRIORITY = 50;
    /** How far ahead a lot may expire. */
    public static final int MAX_EXPIRY_YEARS = 10;

    /** A grant sent without terms: promotional, priority 50, never expires. */
    public static final LotTerms DEFAULT_GRANT = new LotTerms(LotCategory.PROMOTIONAL, DEFAULT_PRIORITY, Optional.empty());
    /** Every top-up: the user's own deposited money, priority 50, never expires. */
    public static final LotTerms DEPOSIT = new LotTerms(LotCategory.PAID, DEFAULT_PRIORITY, Optional.empty());

    public LotTerms {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(expiresAt, "expiresAt");
        requirePriority(priority);
    }

    /** @throws InvalidValueException when the priority is outside 0–100 */
    public static int requirePriority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new InvalidValueException("must be an integer from " + MIN_PRIORITY + " to " + MAX_PRIORITY);
        }
        return priority;
    }

    /**
     * The rule for an expiry chosen at {@code now}: strictly in the future and at most ten years ahead.
     *
     * @throws InvalidValueException when it is not
     */
    public static Instant requireExpiryFrom(Instant expiresAt, Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw new InvalidValueException("must be in the future");
        }
        if (expiresAt.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(MAX_EXPIRY_YEARS).toInstant())) {
            throw new InvalidValueException("must be at most " + MAX_EXPIRY_YEARS + " years ahead");
        }
        return expiresAt;
    }

    /** Expired from its instant on: a read at or after {@code expiresAt} never counts the lot. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.map(expiry -> !now.isBefore(expiry)).orElse(false);
    }
}
