package credits.application.port.in;

import credits.domain.InvalidValueException;
import credits.domain.Usdc;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Optional;

/**
 * A developer (or an admin for them) sets their own low-balance threshold, or removes it so the configured
 * default applies again. A user without a credit gets one, opened at zero.
 */
public interface SetLowBalanceThreshold {

    /** @return the threshold that applies afterwards: the user's own, else the configured default */
    Optional<Usdc> set(Command command);

    /** @param threshold above zero; empty removes the user's own */
    record Command(UserId userId, Optional<Usdc> threshold) {

        public Command {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.filter(Usdc::isZero).isPresent()) {
                throw new InvalidValueException("must be greater than 0 (null removes the threshold)");
            }
        }
    }
}
