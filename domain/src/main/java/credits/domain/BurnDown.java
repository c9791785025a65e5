package credits.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order in which a deduction draws from a user's lots, and the draws themselves (api.md, "Lots
 * and burn-down"): lowest priority first, then the soonest expiry (never-expiring lots last), then
 * promotional before paid, then the oldest. One pure function for every adapter.
 */
public final class BurnDown {

    /** The contract's order; total, so two lots never tie. */
    public static final Comparator<Lot> ORDER = Comparator.comparingInt((Lot lot) -> lot.terms().priority())
            .thenComparing(lot -> lot.terms().expiresAt().orElse(Instant.MAX))
            .thenComparing(lot -> lot.terms().category()) // PROMOTIONAL is declared before PAID
            .thenComparingLong(Lot::sequence);

    private BurnDown() {
    }

    /**
     * The draws that take {@code amount} from the lots spendable at {@code now}, in burn-down order;
     * empty when they hold less than the amount together (nothing is drawn then).
     */
    public static Optional<List<Draw>> draw(List<Lot> lots, Usdc amount, Instant now) {
        List<Lot> ordered = new ArrayList<>(lots);
        ordered.sort(ORDER);
        List<Draw> draws = new ArrayList<>();
        Usdc missing = amount;
        for (Lot lot : ordered) {
            if (missing.isZero()) {
                break;
            }
            Usdc spendable = lot.spendableAt(now);
            if (spendable.isZero()) {
                continue;
            }
            Usdc taken = spendable.isLessThan(missing) ? spendable : missing;
            draws.add(new Draw(lot.id(), taken));
            missing = missing.minus(taken);
        }
        return missing.isZero() ? Optional.of(List.copyOf(draws)) : Optional.empty();
    }

    /**
     * Where a refund of {@code amount} goes: into the lots its deduction drew from, the last-drawn
     * first, each up to what it gave less what earlier refunds already returned to it
     * ({@code alreadyReturned}, in the same shape). The amount never exceeds what is left to refund.
     */
    public static List<Draw> giveBack(List<Draw> drawnFrom, List<Draw> alreadyReturned, Usdc amount) {
        Map<EntryId, Usdc> returned = new HashMap<>();
        alreadyReturned.forEach(earlier -> returned.merge(earlier.lotId(), earlier.amount(), Usdc::plus));
        List<Draw> back = new ArrayList<>();
        Usdc left = amount;
        for (int i = drawnFrom.size() - 1; i >= 0 && !left.isZero(); i--) {
            Draw drawn = drawnFrom.get(i);
            Usdc room = drawn.amount().minus(returned.getOrDefault(drawn.lotId(), Usdc.ZERO));
            if (room.isZero()) {
                continue;
            }
            Usdc given = room.isLessThan(left) ? room : left;
            back.add(new Draw(drawn.lotId(), given));
            left = left.minus(given);
        }
        if (!left.isZero()) {
            throw new IllegalArgumentException("a refund never gives back more than its deduction drew");
        }
        return List.copyOf(back);
    }
}
