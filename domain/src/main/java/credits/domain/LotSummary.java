package credits.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user's lots add up to besides the balance: the paid part and the soonest instant at which
 * something expires, with how much. Storage keeps it beside the balance so that a balance read
 * needs no lot, which is exact for every read before {@code nextExpiry} ({@link #holdsAt}); at or
 * after it, the read looks at the lots.
 */
public record LotSummary(Usdc paid, Optional<Balance.NextExpiry> nextExpiry, Optional<Instant> nextHoldExpiry) {

    /** A credit without lots. */
    public static final LotSummary NONE = new LotSummary(Usdc.ZERO, Optional.empty(), Optional.empty());

    public LotSummary {
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(nextExpiry, "nextExpiry");
        Objects.requireNonNull(nextHoldExpiry, "nextHoldExpiry");
    }

    /** The summary of a credit without holds. */
    public static LotSummary of(Collection<Lot> lots) {
        return of(lots, List.of());
    }

    /**
     * The summary of {@code lots} and the active {@code holds}, as stored: whatever is left in the
     * lots, expired by now or not; the soonest instant at which an unreserved remainder expires, with
     * what expires then; and the soonest instant at which a hold expires.
     */
    public static LotSummary of(Collection<Lot> lots, Collection<Hold> holds) {
        Usdc paid = Usdc.ZERO;
        Instant soonest = null;
        Usdc expiringThen = Usdc.ZERO;
        for (Lot lot : lots) {
            if (lot.remaining().isZero()) {
                continue;
            }
            if (lot.terms().category() == LotCategory.PAID) {
                paid = paid.plus(lot.remaining());
            }
            Optional<Instant> expiry = lot.terms().expiresAt();
            if (expiry.isPresent() && !lot.unreserved().isZero()) {
                int sooner = soonest == null ? -1 : expiry.get().compareTo(soonest);
                if (sooner < 0) {
                    soonest = expiry.get();
                    expiringThen = lot.unreserved();
                } else if (sooner == 0) {
                    expiringThen = expiringThen.plus(lot.unreserved());
                }
            }
        }
        Optional<Instant> holdExpiry = holds.stream().filter(hold -> hold.status() == HoldStatus.ACTIVE).map(Hold::expiresAt)
                .min(Instant::compareTo);
        return new LotSummary(paid, soonest == null ? Optional.empty() : Optional.of(new Balance.NextExpiry(soonest, expiringThen)),
                holdExpiry);
    }

    /** Whether a read at {@code now} may rely on it: no lot and no hold has expired by then. */
    public boolean holdsAt(Instant now) {
        return nextExpiry.map(next -> now.isBefore(next.at())).orElse(true)
                && nextHoldExpiry.map(now::isBefore).orElse(true);
    }
}
