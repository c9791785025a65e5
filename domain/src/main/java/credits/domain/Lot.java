package credits.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What one grant or top-up put on a user's balance and what is left of it. A lot's id is its
 * entry's id; {@code sequence} is the order in which the user's lots were written (the last
 * tie-breaker of the burn-down order); {@code expired} is what expiry has taken from it so far;
 * {@code reserved} is the part of {@code remaining} that active holds reserve (still in the
 * balance, not spendable, and not taken by the lot's expiry until the hold gives it back).
 */
public record Lot(EntryId id, UserId userId, LotTerms terms, long sequence, Usdc original, Usdc remaining, Usdc expired,
                  Instant createdAt, Usdc reserved) {

    /** A lot no hold reserves anything of. */
    public Lot(EntryId id, UserId userId, LotTerms terms, long sequence, Usdc original, Usdc remaining, Usdc expired,
               Instant createdAt) {
        this(id, userId, terms, sequence, original, remaining, expired, createdAt, Usdc.ZERO);
    }

    public Lot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(expired, "expired");
        Objects.requireNonNull(createdAt, "createdAt");
        // What was spent and not given back is original - remaining - expired, never negative.
        if (original.isLessThan(remaining) || original.minus(remaining).isLessThan(expired)) {
            throw new IllegalStateException("a lot never holds or loses more than it started with");
        }
        Objects.requireNonNull(reserved, "reserved");
        if (remaining.isLessThan(reserved)) {
            throw new IllegalStateException("holds reserve at most what is left of a lot");
        }
    }

    /** The lot a grant or top-up opens, whole. */
    public static Lot opened(EntryId id, UserId userId, LotTerms terms, long sequence, Usdc amount, Instant createdAt) {
        return new Lot(id, userId, terms, sequence, amount, amount, Usdc.ZERO, createdAt);
    }

    public boolean isExpiredAt(Instant now) {
        return terms.isExpiredAt(now);
    }

    /** What is left and no hold reserves. */
    public Usdc unreserved() {
        return remaining.minus(reserved);
    }

    /** What may be drawn or reserved from it at {@code now}: its unreserved part, nothing from its expiry on. */
    public Usdc spendableAt(Instant now) {
        return isExpiredAt(now) ? Usdc.ZERO : unreserved();
    }

    /** Whether an expiry is owed: something unreserved is left at or after the instant it expires. */
    public boolean isDueAt(Instant now) {
        return isExpiredAt(now) && !unreserved().isZero();
    }

    /** The lot with {@code amount} taken from it. */
    public Lot drawn(Usdc amount) {
        return new Lot(id, userId, terms, sequence, original, remaining.minus(amount), expired, createdAt, reserved);
    }

    /** The lot with {@code amount} given back to it. */
    public Lot givenBack(Usdc amount) {
        return new Lot(id, userId, terms, sequence, original, remaining.plus(amount), expired, createdAt, reserved);
    }

    /** The lot with {@code amount} more of it reserved by a hold. */
    public Lot reservedFor(Usdc amount) {
        return new Lot(id, userId, terms, sequence, original, remaining, expired, createdAt, reserved.plus(amount));
    }

    /** The lot with {@code amount} of its reservation freed (a hold gave it back or a capture took it). */
    public Lot unreservedBy(Usdc amount) {
        return new Lot(id, userId, terms, sequence, original, remaining, expired, createdAt, reserved.minus(amount));
    }

    /** The lot once everything left of it that no hold reserves has expired. */
    public Lot expiredAll() {
        return new Lot(id, userId, terms, sequence, original, reserved, expired.plus(unreserved()), createdAt, reserved);
    }

    /** The lot as a read at {@code now} shows it: an expiry that is owed counts as written. */
    public Lot asOf(Instant now) {
        return isDueAt(now) ? expiredAll() : this;
    }

    /** The listing's status at {@code now}: open while something is left to spend, expired once its instant passed with money in it, otherwise used. */
    public Status statusAt(Instant now) {
        if (isExpiredAt(now)) {
            return !expired.isZero() || !remaining.isZero() ? Status.EXPIRED : Status.USED;
        }
        return remaining.isZero() ? Status.USED : Status.OPEN;
    }

    public enum Status {
        OPEN, USED, EXPIRED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
