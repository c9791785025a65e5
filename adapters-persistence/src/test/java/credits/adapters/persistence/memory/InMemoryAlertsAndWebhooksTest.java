package credits.adapters.persistence.memory;

import java.util.Optional;

import credits.adapters.persistence.AlertsAndWebhooksContract;
import credits.domain.CreditsPort;
import credits.domain.WebhooksPort;

class InMemoryAlertsAndWebhooksTest extends AlertsAndWebhooksContract {

    private final InMemoryCreditsAdapter credits = new InMemoryCreditsAdapter(Optional.of(DEFAULT_THRESHOLD),
            new InMemoryWebhooksAdapter());

    @Override
    protected CreditsPort credits() {
        return credits;
    }

    @Override
    protected WebhooksPort webhooks() {
        return credits.webhooks();
    }
}
