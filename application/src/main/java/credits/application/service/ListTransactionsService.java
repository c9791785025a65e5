package credits.application.service;

import credits.application.port.in.ListTransactions;
import credits.domain.CreditsPort;
import credits.domain.HistoryPage;

import java.util.Objects;

public final class ListTransactionsService implements ListTransactions {

    private final CreditsPort credits;

    public ListTransactionsService(CreditsPort credits) {
        this.credits = Objects.requireNonNull(credits, "credits");
    }

    @Override
    public HistoryPage list(Query query) {
        return credits.history(query.userId(), query.after(), query.limit());
    }
}
