package credits.application.service;

import credits.application.port.in.SettleExpiries;
import credits.domain.CreditsPort;

import java.time.Clock;
import java.util.Objects;

public final class SettleExpiriesService implements SettleExpiries {

    private final CreditsPort credits;
    private final Clock clock;

    public SettleExpiriesService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public int settleOnce() {
        return credits.settleExpiries(Timestamps.now(clock), USERS_PER_PASS);
    }
}
