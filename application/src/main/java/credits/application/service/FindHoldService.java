package credits.application.service;

import credits.application.port.in.FindHold;
import credits.domain.CreditsPort;
import credits.domain.EntryId;
import credits.domain.Hold;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

public final class FindHoldService implements FindHold {

    private final CreditsPort credits;
    private final Clock clock;

    public FindHoldService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Hold> find(EntryId holdId) {
        return credits.hold(holdId, Timestamps.now(clock));
    }
}
