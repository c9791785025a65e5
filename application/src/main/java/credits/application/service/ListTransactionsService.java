package credits.application.service;

import credits.application.port.in.ListTransactions;
import credits.domain.CreditsPort;
import credits.domain.HistoryPage;

import java.time.Clock;
import java.util.Objects;

public final class ListTransactionsService implements ListTransactions {

    private final CreditsPort credits;
    private final Clock clock;

    public ListTransactionsService(CreditsPort credits, Clock clock) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HistoryPage list(Query query) {
        return credits.history(query.userId(), query.after(), query.limit(), Timestamps.now(clock));
    }
}
