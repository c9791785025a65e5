package credits.adapters.persistence.postgres;

import java.time.Duration;
import java.util.Optional;

import credits.adapters.persistence.AlertsAndWebhooksContract;
import credits.domain.CreditsPort;
import credits.domain.WebhooksPort;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The alerts and outbox contract on a real PostgreSQL, moves batched or not as the adapter decides. */
class PostgresAlertsAndWebhooksTest extends AlertsAndWebhooksContract {

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        store = PostgresStore.open(new PostgresSettings(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "",
                24, Duration.ofSeconds(10), Duration.ofSeconds(10)), Optional.of(DEFAULT_THRESHOLD));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected CreditsPort credits() {
        return store.credits();
    }

    @Override
    protected WebhooksPort webhooks() {
        return store.webhooks();
    }
}
