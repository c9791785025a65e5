package credits.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A user's low-balance alert as the decisions see it: the threshold that applies (the user's own,
 * else the configured default; none when neither is set) and whether a {@code balance.low} was sent
 * that no {@code balance.recovered} has answered yet. Storage keeps the flag beside the balance.
 */
public record LowBalanceAlert(Optional<Usdc> threshold, boolean low) {

    /** No threshold, nothing sent. */
    public static final LowBalanceAlert NONE = new LowBalanceAlert(Optional.empty(), false);

    public LowBalanceAlert {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.filter(Usdc::isZero).isPresent()) {
            throw new IllegalArgumentException("a low-balance threshold is above zero (no threshold is empty)");
        }
    }

    /** The threshold that applies: the user's own, else {@code fallback}. */
    public static Optional<Usdc> applying(Optional<Usdc> own, Optional<Usdc> fallback) {
        return own.isPresent() ? own : fallback;
    }

    LowBalanceAlert low(boolean low) {
        return new LowBalanceAlert(threshold, low);
    }
}
