package credits.adapters.persistence.postgres;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import credits.domain.Operation;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.StorageUnavailableException;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the adapter does when its database goes away and comes back: every port operation answers
 * {@link StorageUnavailableException} within the pool's connection timeout (no hang, no raw SQL
 * error), and the same store works again once the database is back, without being reopened.
 */
class PostgresOutageTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1000);
    // Pool wait, plus a validation of an idle connection, plus a generous margin for a busy machine.
    private static final Duration ANSWER_BOUND = CONNECTION_TIMEOUT.plusMillis(500).plusSeconds(2);
    private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");
    private static final UserId ADMIN = UserId.of("admin_outage");
    private static final UserId METER = UserId.of("meter_outage");

    @TempDir
    Path dataDir;

    private EmbeddedPostgres postgres;
    private int port;
    private PostgresStore store;

    @BeforeEach
    void startDatabaseAndStore() throws IOException {
        postgres = embedded(0);
        port = postgres.getPort();
        store = PostgresStore.open(new PostgresSettings("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "",
                4, CONNECTION_TIMEOUT, Duration.ofMillis(500)));
    }

    @AfterEach
    void stopStoreAndDatabase() throws IOException {
        store.close();
        postgres.close();
    }

    @Test
    void everyOperationReportsStorageUnavailableWithinTheTimeoutWhileTheDatabaseIsDown() throws IOException {
        UserId user = UserId.of("outage_user");
        EntryId deduction = deductionOf(user);
        postgres.close();

        CreditsPort port = store.credits();
        assertUnavailableInTime("getOrCreate", () -> port.getOrCreate(user, AT));
        assertUnavailableInTime("find", () -> port.find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")));
        assertUnavailableInTime("grant", () -> port.grant(grant(user, 100)));
        assertUnavailableInTime("deduct", () -> port.deduct(deduction(user, 1)));
        assertUnavailableInTime("refund", () -> port.refund(refund(deduction, 1)));
        assertUnavailableInTime("history", () -> port.history(user, Optional.empty(), 10, java.time.Instant.parse("2100-01-01T00:00:00Z")));
    }

    @Test
    void requestsQueueingForConnectionsWhileTheDatabaseIsDownAreStillAnsweredWithinTheTimeout() throws Exception {
        UserId user = UserId.of("queued_user");
        store.credits().getOrCreate(user, AT);
        postgres.close();

        // Four times as many callers as connections, arriving over most of the timeout: later ones
        // queue until an earlier one gives up, then still meet the pool's own wait. Queueing and that
        // wait share the one timeout, so no caller waits for the timeout twice over.
        try (ScheduledExecutorService callers = Executors.newScheduledThreadPool(16)) {
            List<Future<Duration>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(callers.schedule(() -> {
                    long started = System.nanoTime();
                    assertThrows(StorageUnavailableException.class, () -> store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")));
                    return Duration.ofNanos(System.nanoTime() - started);
                }, i * 50L, TimeUnit.MILLISECONDS));
            }
            for (Future<Duration> answer : answers) {
                Duration took = answer.get(30, TimeUnit.SECONDS);
                assertThat("answered in " + took.toMillis() + " ms", took, lessThan(CONNECTION_TIMEOUT.plusMillis(400)));
            }
        }
    }

    @Test
    void theSameStoreWorksAgainOnceTheDatabaseIsBackWithoutBeingReopened() throws IOException {
        UserId user = UserId.of("comeback_user");
        assertThat(store.credits().grant(grant(user, 100)), instanceOf(MoveOutcome.Applied.class));
        postgres.close();
        assertThrows(StorageUnavailableException.class, () -> store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")));

        postgres = embedded(port);

        // The pool still holds connections to the old server; they are dropped on borrow, not handed out.
        // New ones take a moment on a busy machine (each is a new server process), so the first
        // answer may still be "unavailable": what matters is that one comes without reopening.
        await().atMost(Duration.ofSeconds(15)).ignoreException(StorageUnavailableException.class)
                .until(() -> store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).isPresent());
        assertThat(store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(100)));
        assertThat(store.credits().deduct(deduction(user, 30)), instanceOf(MoveOutcome.Applied.class));
        assertThat(store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(70)));
        assertThat(store.isReachable(Duration.ofSeconds(1)), is(true));
    }

    @Test
    void aReadOnAConnectionTheServerDroppedIsAnsweredFromAFreshConnection() throws SQLException {
        UserId user = UserId.of("dropped_user");
        store.credits().getOrCreate(user, AT);
        // Every pooled connection is killed under the pool's feet, as a failover or an idle-kill would.
        try (Connection admin = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND datname = 'postgres' AND backend_type = 'client backend'");
        }

        for (int i = 0; i < 8; i++) {
            assertThat(store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).isPresent(), is(true));
        }
    }

    @Test
    void aMoneyMoveStuckPastTheStatementTimeoutIsUnavailableAndWritesNothing() throws SQLException {
        UserId user = UserId.of("stuck_user");
        store.credits().grant(grant(user, 100));
        Deduction deduction = deduction(user, 10);
        try (Connection blocker = DriverManager.getConnection(jdbcUrl(), "postgres", "")) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM credits WHERE user_id = ? FOR UPDATE")) {
                lock.setString(1, user.value());
                lock.executeQuery().close();
            }

            StorageUnavailableException failure = assertThrows(StorageUnavailableException.class,
                    () -> store.credits().deduct(deduction));

            assertThat(failure.getMessage(), containsString("statement timeout"));
            assertThat(failure.getMessage(), containsString("57014"));
            blocker.rollback();
        }
        assertThat(store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(100)));
        assertThat(store.credits().history(user, Optional.empty(), 10, java.time.Instant.parse("2100-01-01T00:00:00Z")).entries().size(), is(1));
    }

    @Test
    void unavailableMessagesNameTheOperationButNothingTheCallerSent() throws IOException {
        UserId user = UserId.of("secret_user_4711");
        postgres.close();

        StorageUnavailableException failure = assertThrows(StorageUnavailableException.class,
                () -> store.credits().deduct(deduction(user, 12345)));

        assertThat(failure.getMessage(), not(containsString(user.value())));
        assertThat(failure.getMessage(), not(containsString("12345")));
    }

    @Test
    void poolStatsCountTheOpenConnectionsAndAreZeroOnceTheStoreIsClosed() throws InterruptedException {
        // The pool opens its connections in the background after the first one.
        Awaitility.await("pool filled").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> store.poolStats().total() >= 4);

        assertThat(store.poolStats(), is(new PostgresStore.PoolStats(0, 4, 0, 4)));

        store.close();

        assertThat(store.poolStats(), is(new PostgresStore.PoolStats(0, 0, 0, 0)));
    }

    private static void assertUnavailableInTime(String operation, Executable call) {
        long started = System.nanoTime();
        StorageUnavailableException failure = assertThrows(StorageUnavailableException.class, call, operation);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(operation + " took " + took.toMillis() + " ms", took, lessThan(ANSWER_BOUND));
        assertThat(failure.getMessage(), containsString("during " + operation));
    }

    private EntryId deductionOf(UserId user) {
        store.credits().grant(grant(user, 100));
        MoveOutcome outcome = store.credits().deduct(deduction(user, 10));
        return ((MoveOutcome.Applied) outcome).entry().id();
    }

    private EmbeddedPostgres embedded(int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("cluster"))
                .setCleanDataDirectory(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private static Grant grant(UserId user, long units) {
        return new Grant(newId(), user, Usdc.ofUnits(units), credits.domain.LotTerms.DEFAULT_GRANT, Optional.empty(),
                new Idempotency(ADMIN, Operation.GRANT, freshKey(), digest("grant " + UUID.randomUUID())), AT);
    }

    private static Deduction deduction(UserId user, long units) {
        return new Deduction(newId(), user, Usdc.ofUnits(units), Optional.empty(),
                new Idempotency(METER, Operation.DEDUCTION, freshKey(), digest("deduction " + UUID.randomUUID())), AT);
    }

    private static Refund refund(EntryId deduction, long units) {
        return new Refund(newId(), deduction, Optional.of(Usdc.ofUnits(units)), "outage test",
                new Idempotency(ADMIN, Operation.REFUND, freshKey(), digest("refund " + UUID.randomUUID())), AT);
    }

    private static EntryId newId() {
        return new EntryId(UUID.randomUUID());
    }

    private static IdempotencyKey freshKey() {
        return new IdempotencyKey("outage-" + UUID.randomUUID());
    }

    private static String digest(String request) {
        UUID first = UUID.nameUUIDFromBytes(request.getBytes(StandardCharsets.UTF_8));
        UUID second = UUID.nameUUIDFromBytes(("2" + request).getBytes(StandardCharsets.UTF_8));
        return (first.toString() + second.toString()).replace("-", "");
    }
}
