package credits.application.service;

import credits.application.port.in.ListHolds;
import credits.domain.CreditsPort;
import credits.domain.HoldPage;

import java.time.Clock;
import java.util.Objects;

public final class ListHoldsService implements ListHolds {

    private final CreditsPort credits;
    private final Clock clock;

    public ListHoldsService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HoldPage list(Query query) {
        return credits.holds(query.userId(), query.status(), query.after(), query.limit(), Timestamps.now(clock));
    }
}
