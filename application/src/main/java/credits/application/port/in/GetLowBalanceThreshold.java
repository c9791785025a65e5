package credits.application.port.in;

import credits.domain.Usdc;
import credits.domain.UserId;

import java.util.Optional;

/** A developer reads the low-balance threshold that applies to them (their own, else the configured default). */
public interface GetLowBalanceThreshold {

    /** Empty when neither the user nor the deployment set one; never opens a credit. */
    Optional<Usdc> get(UserId userId);
}
