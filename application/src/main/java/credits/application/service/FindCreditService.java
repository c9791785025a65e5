package credits.application.service;

import credits.application.port.in.FindCredit;
import credits.domain.Balance;
import credits.domain.CreditsPort;
import credits.domain.UserId;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

public final class FindCreditService implements FindCredit {

    private final CreditsPort credits;
    private final Clock clock;

    public FindCreditService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Balance> find(UserId userId) {
        return credits.find(userId, Timestamps.now(clock));
    }
}
