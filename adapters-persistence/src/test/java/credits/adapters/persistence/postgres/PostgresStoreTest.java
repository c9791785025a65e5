package credits.adapters.persistence.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import credits.domain.Credit;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresStoreTest {

    private static final Instant NOW = Instant.parse("2024-01-15T10:30:00Z");

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
        credits.domain.Balance created;
        try (PostgresStore first = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            created = first.credits().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));
        }

        try (PostgresStore second = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            assertThat(second.credits().find(user, Instant.parse("2024-01-15T10:30:00Z")).orElseThrow(), is(created));
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
    void everyPooledConnectionPlansItsStatementsOnceGenerically() {
        try (PostgresStore store = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            for (int i = 0; i < 3; i++) {
                assertThat(store.dbClient().execute().get("SHOW plan_cache_mode").orElseThrow().column(1).get(String.class),
                        is("force_generic_plan"));
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

    @Test
    void twoStoresOnOneDatabaseGetTheSameServerKey() {
        try (PostgresStore first = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)));
             PostgresStore second = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            byte[] key = first.serverKey("shared-key", NOW);

            assertThat(key.length, is(PostgresStore.SERVER_KEY_BYTES));
            assertThat(second.serverKey("shared-key", NOW), is(key));
            assertThat(first.serverKey("shared-key", NOW.plusSeconds(60)), is(key));
            assertThat(first.serverKey("another-key", NOW), is(not(key)));
        }
    }

    @Test
    void instancesAskingForANewServerKeyAtOnceAllGetTheOneThatWon() throws Exception {
        int stores = 3;
        int callersPerStore = 4;
        List<PostgresStore> opened = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(stores * callersPerStore);
        try {
            for (int i = 0; i < stores; i++) {
                opened.add(PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5))));
            }
            for (int round = 0; round < 5; round++) {
                String name = "raced-key-" + round;
                CyclicBarrier start = new CyclicBarrier(stores * callersPerStore);
                List<Future<byte[]>> keys = new ArrayList<>();
                for (PostgresStore store : opened) {
                    for (int c = 0; c < callersPerStore; c++) {
                        keys.add(callers.submit(() -> {
                            start.await();
                            return store.serverKey(name, NOW);
                        }));
                    }
                }
                Set<String> distinct = new HashSet<>();
                for (Future<byte[]> key : keys) {
                    distinct.add(HexFormat.of().formatHex(key.get(30, TimeUnit.SECONDS)));
                }
                assertThat(name, distinct.size(), is(1));
                long rows = opened.getFirst().dbClient().execute()
                        .get("SELECT count(*) FROM server_keys WHERE name = ?", name).orElseThrow().column(1).getLong();
                assertThat(rows, is(1L));
            }
        } finally {
            callers.shutdownNow();
            opened.forEach(PostgresStore::close);
        }
    }

    @Test
    void storedServerKeyOfTheWrongLengthIsRefusedWithoutShowingIt() {
        try (PostgresStore store = PostgresStore.open(settings(postgres.getPort(), Duration.ofSeconds(5)))) {
            store.dbClient().execute().dml("INSERT INTO server_keys (name, key_bytes, created_at) VALUES (?, ?, ?)",
                    "short-key", new byte[]{1, 2, 3}, java.time.OffsetDateTime.parse("2024-01-15T10:30:00Z"));

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> store.serverKey("short-key", NOW));

            assertThat(refused.getMessage(), is("server key short-key in server_keys is 3 bytes, not 32"));
        }
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
