package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one grant or top-up put on a user's balance and what is left of it. {@code sequence} is the
 * order in which the user's lots were written (the last tie-breaker of the burn-down order).
 */
public record Lot(EntryId id, LotCategory category, int priority, Optional<Instant> expiresAt, long sequence,
                  Usdc original, Usdc remaining) {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 100;

    public Lot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(remaining, "remaining");
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new InvalidValueException("must be an integer from " + MIN_PRIORITY + " to " + MAX_PRIORITY);
        }
        if (original.compareTo(remaining) < 0) {
            throw new IllegalStateException("a lot never holds more than it started with");
        }
    }

    /** Expired from its instant on: a read at or after {@code expiresAt} never counts it. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.map(expiry -> !now.isBefore(expiry)).orElse(false);
    }

    /** What may be drawn from it at {@code now}. */
    public Usdc spendableAt(Instant now) {
        return isExpiredAt(now) ? Usdc.ZERO : remaining;
    }
}
