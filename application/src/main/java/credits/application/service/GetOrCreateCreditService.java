package credits.application.service;

import credits.application.port.in.GetOrCreateCredit;
import credits.domain.Balance;
import credits.domain.CreditsPort;
import credits.domain.UserId;

import java.time.Clock;
import java.util.Objects;

public final class GetOrCreateCreditService implements GetOrCreateCredit {

    private final CreditsPort credits;
    private final Clock clock;

    public GetOrCreateCreditService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Balance getOrCreate(UserId userId) {
        return credits.getOrCreate(userId, Timestamps.now(clock));
    }
}
