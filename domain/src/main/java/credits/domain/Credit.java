package credits.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One developer's prepaid credit: the balance and what of it is held. {@code held} is the part of the balance reserved by active
 * holds; what can be spent now is {@link #available()}.
 */
public record Credit(UserId userId, Usdc balance, Usdc held, Instant createdAt, Instant updatedAt) {

    public Credit {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (held.compareTo(balance) > 0) {
            throw new IllegalStateException("held " + held + " exceeds balance " + balance + " for " + userId);
        }
    }

    /** A new credit at zero, as created on a user's first request. */
    public static Credit opened(UserId userId, Instant now) {
        return new Credit(userId, Usdc.ZERO, Usdc.ZERO, now, now);
    }

    /** What can be spent now: the balance less what active holds reserve. */
    public Usdc available() {
        return balance.minus(held);
    }

    /** Whether the available balance pays for {@code amount}. */
    public boolean covers(Usdc amount) {
        return !available().isLessThan(amount);
    }

    /**
     * When a move of this user made now by {@code clock} happens: the later of the clock and the
     * user's last change, so times never run backwards along a user's history, also when
     * instances' clocks differ. Taken under the user's lock, as every move is.
     */
    public Instant nextMoveTime(Instant clock) {
        return clock.isAfter(updatedAt) ? clock : updatedAt;
    }
}
