package credits.domain;

import java.util.List;
import java.util.Objects;

/** An amount taken from, reserved from, or given back to one lot: one item of an entry's {@code drawn_from}. */
public record Draw(EntryId lotId, Usdc amount) {

    public Draw {
        Objects.requireNonNull(lotId, "lotId");
        Objects.requireNonNull(amount, "amount");
        if (amount.isZero()) {
            throw new IllegalArgumentException("a draw moves a positive amount");
        }
    }

    /** What the draws move together. */
    public static Usdc total(List<Draw> draws) {
        Usdc total = Usdc.ZERO;
        for (Draw draw : draws) {
            total = total.plus(draw.amount());
        }
        return total;
    }
}
