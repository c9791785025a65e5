package credits.application.service;

import credits.application.port.in.SetLowBalanceThreshold;
import credits.domain.CreditsPort;
import credits.domain.Usdc;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

public final class SetLowBalanceThresholdService implements SetLowBalanceThreshold {

    private final CreditsPort credits;
    private final Clock clock;

    public SetLowBalanceThresholdService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Usdc> set(Command command) {
        // The clock is for a credit this opens: its times are the moment it was first touched.
        return credits.setLowBalanceThreshold(command.userId(), command.threshold(), Timestamps.now(clock));
    }
}
