package credits.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's credit as a read at one instant shows it: what has expired by then is gone, whether or
 * not its {@code expiry} entry has been written yet. {@code paid + promotional = balance}.
 */
public record Balance(UserId userId, Usdc balance, Usdc held, Usdc paid, Usdc promotional, Optional<NextExpiry> nextExpiry,
                      Instant createdAt, Instant updatedAt) {

    public Balance {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(promotional, "promotional");
        Objects.requireNonNull(nextExpiry, "nextExpiry");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!paid.plus(promotional).equals(balance) || balance.isLessThan(held)) {
            throw new IllegalStateException("a balance is its paid and promotional parts, and holds at most all of it");
        }
    }

    /** The soonest future instant at which something expires, and how much expires then. */
    public record NextExpiry(Instant at, Usdc amount) {
    }

    /**
     * What {@code credit} shows at an instant its stored {@code summary} {@link LotSummary#holdsAt holds at}:
     * no lot needs reading.
     */
    public static Balance of(Credit credit, LotSummary summary) {
        return new Balance(credit.userId(), credit.balance(), credit.held(), summary.paid(), credit.balance().minus(summary.paid()),
                summary.nextExpiry(), credit.createdAt(), credit.updatedAt());
    }

    /** What can be spent now: the balance less what active holds reserve. */
    public Usdc available() {
        return balance.minus(held);
    }
}
