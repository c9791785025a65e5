package credits.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to reserve {@code amount} of a user's available balance for {@code expiresIn}, made by
 * the metering gateway before a call whose price it does not know yet; refused when the user already
 * has {@code activeHoldLimit} active holds (the service's configured limit).
 */
public record HoldRequest(EntryId id, UserId userId, Usdc amount, Optional<String> reference, Duration expiresIn,
                          int activeHoldLimit, Idempotency idempotency, Instant at) {

    /** The contract's bounds for {@code expires_in_seconds}: one second to seven days. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);
    public static final Duration LONGEST = Duration.ofDays(7);
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

    public HoldRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        if (expiresIn.compareTo(SHORTEST) < 0 || expiresIn.compareTo(LONGEST) > 0 || expiresIn.toNanosPart() % 1_000_000_000 != 0) {
            throw new InvalidValueException("must be a whole number of seconds from 1 to 604800");
        }
        if (activeHoldLimit < 1) {
            throw new IllegalArgumentException("the limit of active holds is at least 1");
        }
        reference.ifPresent(LedgerText::reference);
        idempotency.requireOperation(Operation.HOLD);
    }
}
