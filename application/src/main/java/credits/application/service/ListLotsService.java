package credits.application.service;

import credits.application.port.in.ListLots;
import credits.domain.CreditsPort;
import credits.domain.LotPage;
import credits.domain.UserId;

import java.time.Clock;
import java.util.Objects;

public final class ListLotsService implements ListLots {

    private final CreditsPort credits;
    private final Clock clock;

    public ListLotsService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public LotPage list(UserId userId, LotPage.Query query) {
        return credits.lots(userId, query, Timestamps.now(clock));
    }
}
