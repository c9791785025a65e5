package credits.adapters.persistence.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import credits.domain.Credit;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresStoreTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        postgres.close();
    }

    @Test
    void reopeningOnAMigratedDatabaseKeepsItsAccounts() {
        UserId user = UserId.of("reopen-user");
        Credit created;
        try (PostgresStore first = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            created = first.credits().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));
        }

        try (PostgresStore second = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            assertThat(second.credits().find(user).orElseThrow(), is(created));
        }
    }

    @Test
    void everyPooledConnectionCarriesTheStatementTimeout() {
        try (PostgresStore store = PostgresStore.open(settings(postgres.getPort(), Duration.ofMillis(1500)))) {
            for (int i = 0; i < 3; i++) {
                String timeout = store.dbClient().execute().get("SHOW statement_timeout")
                        .orElseThrow().column(1).get(String.class);
                assertThat(timeout, is("1500ms"));
            }
        }
    }

    @Test
    void aStatementRunningPastTheTimeoutIsCancelled() {
        try (PostgresStore store = PostgresStore.open(settings(postgres.getPort(), Duration.ofMillis(200)))) {
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> store.dbClient().execute().get("SELECT 1 FROM pg_sleep(5)"));

            assertThat(sqlState(failure), is("57014"));
        }
    }

    @Test
    void aStoreIsReachableWhileOpenAndNotAfterClose() {
        PostgresStore store = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)));
        assertThat(store.isReachable(Duration.ofSeconds(2)), is(true));

        store.close();

        assertThat(store.isReachable(Duration.ofSeconds(2)), is(false));
    }

    @Test
    void aStoreIsNotReachableOnceItsDatabaseStops() throws IOException {
        EmbeddedPostgres doomed = EmbeddedPostgres.builder().start();
        try (PostgresStore store = PostgresStore.open(settings(doomed.getPort(), Duration.ofSeconds(5)))) {
            assertThat(store.isReachable(Duration.ofSeconds(2)), is(true));

            doomed.close();

            long started = System.nanoTime();
            assertThat(store.isReachable(Duration.ofSeconds(1)), is(false));
            assertThat("answers within its timeout", Duration.ofNanos(System.nanoTime() - started)
                    .compareTo(Duration.ofSeconds(3)) < 0, is(true));
        } finally {
            doomed.close();
        }
    }

    @Test
    void openingWithoutADatabaseFailsAtOnce() throws IOException {
        int unusedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            unusedPort = socket.getLocalPort();
        }

        assertThrows(RuntimeException.class, () -> PostgresStore.open(settings(unusedPort, Duration.ofSeconds(5))));
    }

    // query_canceled: the server stopped the statement, the client did not give up on it.
    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "no SQLException in " + failure;
    }

    private static PostgresSettings settings(int port, Duration statementTimeout) {
        return new PostgresSettings("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "",
                2, Duration.ofSeconds(2), statementTimeout);
    }
}
