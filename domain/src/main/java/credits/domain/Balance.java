package credits.domain;

import java.time.Instant;
import java.util.Collection;
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
     * What {@code credit} with its lots (every lot with something left) shows at {@code now}.
     *
     * @throws IllegalStateException when the lots do not add up to the stored balance
     */
    public static Balance of(Credit credit, Collection<Lot> lots, Instant now) {
        Usdc stored = Usdc.ZERO;
        Usdc paid = Usdc.ZERO;
        Usdc promotional = Usdc.ZERO;
        Instant soonest = null;
        Usdc expiringThen = Usdc.ZERO;
        for (Lot lot : lots) {
            if (!lot.userId().equals(credit.userId())) {
                throw new IllegalArgumentException("a lot of another user");
            }
            stored = stored.plus(lot.remaining());
            Usdc spendable = lot.spendableAt(now);
            if (lot.terms().category() == LotCategory.PAID) {
                paid = paid.plus(spendable);
            } else {
                promotional = promotional.plus(spendable);
            }
            Optional<Instant> expiry = lot.terms().expiresAt();
            if (expiry.isPresent() && !spendable.isZero()) {
                int sooner = soonest == null ? -1 : expiry.get().compareTo(soonest);
                if (sooner < 0) {
                    soonest = expiry.get();
                    expiringThen = spendable;
                } else if (sooner == 0) {
                    expiringThen = expiringThen.plus(spendable);
                }
            }
        }
        if (!stored.equals(credit.balance())) {
            throw new IllegalStateException("the lots of " + credit.userId() + " hold " + stored + ", its balance is "
                    + credit.balance());
        }
        Optional<NextExpiry> next = soonest == null ? Optional.empty() : Optional.of(new NextExpiry(soonest, expiringThen));
        return new Balance(credit.userId(), paid.plus(promotional), credit.held(), paid, promotional, next,
                credit.createdAt(), credit.updatedAt());
    }

    /** What can be spent now: the balance less what active holds reserve. */
    public Usdc available() {
        return balance.minus(held);
    }
}
