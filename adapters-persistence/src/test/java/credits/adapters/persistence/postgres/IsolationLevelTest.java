package credits.adapters.persistence.postgres;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.Operation;
import credits.domain.Grant;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.MoveOutcome;
import credits.domain.StorageUnavailableException;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * A database (or URL) whose default isolation is SERIALIZABLE must not turn concurrent money moves
 * into errors: the pool pins READ COMMITTED, and conflicts that persist are "unavailable" (503),
 * never a bug (500).
 */
class IsolationLevelTest {

    private static final UserId ADMIN = UserId.of("admin_finance");
    private static final UserId METER = UserId.of("meter_gateway");
    private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");
    private static final int RACERS = 32;

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;

    @BeforeAll
    static void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        String serializableByDefault = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres"
                + "?options=-c%20default_transaction_isolation%3Dserializable";
        store = PostgresStore.open(new PostgresSettings(serializableByDefault, "postgres", "",
                RACERS + 4, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        if (store != null) {
            store.close();
        }
        postgres.close();
    }

    @Test
    void pooledConnectionsRunAtReadCommittedWhateverTheUrlAsksFor() {
        for (int i = 0; i < 3; i++) {
            String isolation = store.dbClient().execute().get("SHOW transaction_isolation")
                    .orElseThrow().column(1).get(String.class);
            assertThat(isolation, is("read committed"));
        }
    }

    @Test
    void concurrentDeductionsAreAppliedRefusedOrUnavailableNeverAnError() throws Exception {
        UserId user = UserId.of("user_" + UUID.randomUUID());
        store.credits().grant(grant(user, 1_000));
        List<Object> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RACERS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS * 3; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return store.credits().deduct(deduction(user, 30));
                    } catch (StorageUnavailableException unavailable) {
                        return unavailable;
                    }
                }));
            }
            start.countDown();
            for (Future<Object> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
        }

        long applied = results.stream().filter(MoveOutcome.Applied.class::isInstance).count();
        for (Object result : results) {
            assertThat(result, anyOf(instanceOf(MoveOutcome.Applied.class), instanceOf(MoveOutcome.InsufficientBalance.class),
                    instanceOf(StorageUnavailableException.class)));
        }
        assertThat("1,000 units cover exactly 33 deductions of 30", applied, is(33L));
        assertThat(store.credits().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(10)));
    }

    private static Grant grant(UserId user, long units) {
        return new Grant(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(units), credits.domain.LotTerms.DEFAULT_GRANT, Optional.empty(),
                identity(ADMIN, Operation.GRANT), AT);
    }

    private static Deduction deduction(UserId user, long units) {
        return new Deduction(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(units), Optional.empty(),
                identity(METER, Operation.DEDUCTION), AT);
    }

    private static Idempotency identity(UserId caller, Operation operation) {
        String fingerprint = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        return new Idempotency(caller, operation, new IdempotencyKey("iso-" + UUID.randomUUID()), fingerprint);
    }
}
