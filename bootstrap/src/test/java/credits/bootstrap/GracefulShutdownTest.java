package credits.bootstrap;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while the metering gateway is charging: the service stops taking connections, lets the
 * requests in flight finish, closes the pool, stops its PostgreSQL and exits 0 within the drain
 * bound. Every deduction that was answered 201 is in the ledger after a restart on the same data
 * dir, and every balance is still the sum of its ledger.
 */
class GracefulShutdownTest {

    private static final int GRACE_SECONDS = 3;
    private static final int WORKERS = 16;
    private static final String DEDUCTIONS = "/api/billing/credits/deductions";

    @TempDir
    Path dataDir;

    private Process service;

    @AfterEach
    void killLeftovers() {
        if (service != null) {
            service.destroyForcibly();
        }
    }

    @Test
    void sigtermDuringLoadExitsZeroWithinTheDrainBoundAndLosesNoAnsweredDeduction() throws Exception {
        int port = ServiceProcess.freePort();
        service = ServiceProcess.start(dataDir, port, Map.of(
                "CREDITS_SHUTDOWN_GRACE_SECONDS", Integer.toString(GRACE_SECONDS),
                "CREDITS_RATE_LIMIT_CAPACITY", "0",
                "CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "0",
                "CREDITS_LOG_FORMAT", "text"));
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        String user = "sigterm_" + UUID.randomUUID();
        String meter = api.tokenFor("meter_gateway", "credits:meter");
        assertThat(api.grant(user, "1000").status(), is(201));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean signalled = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(load.submit(() -> {
                while (!stop.get()) {
                    try {
                        ApiClient.Response response = api.post(meter, DEDUCTIONS, UUID.randomUUID().toString(),
                                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"0.01\"}");
                        if (response.status() == 201) {
                            acknowledged.add(response.text("id"));
                        }
                    } catch (RuntimeException refusedOrReset) {
                        if (signalled.get()) {
                            return; // the service has stopped listening
                        }
                    }
                }
            }));
        }
        awaitAtLeast(acknowledged, 100, Duration.ofSeconds(30));

        long signalledAt = System.nanoTime();
        signalled.set(true);
        service.destroy(); // SIGTERM
        boolean exited = service.waitFor(GRACE_SECONDS + 15, TimeUnit.SECONDS);
        Duration stopping = Duration.ofNanos(System.nanoTime() - signalledAt);
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        load.shutdownNow();

        assertTrue(exited, "the service should exit on SIGTERM");
        assertThat(service.exitValue(), is(0));
        assertThat("stopped in " + stopping.toMillis() + " ms", stopping, lessThan(Duration.ofSeconds(GRACE_SECONDS + 10)));
        assertThat(Files.readString(ServiceProcess.log(dataDir)), containsString("Credits service stopped"));

        try (CreditsServer restarted = CreditsServer.start(TestSettings.embedded(dataDir))) {
            Set<String> inLedger = deductionIds(restarted, user);
            List<String> lost = acknowledged.stream().filter(id -> !inLedger.contains(id)).toList();
            assertThat("deductions answered 201 but missing from the ledger", lost, empty());
            assertThat(inLedger.size(), greaterThan(99));
            LedgerInvariants.assertHold(restarted);
            String expected = new java.math.BigDecimal("1000").subtract(new java.math.BigDecimal("0.01")
                    .multiply(java.math.BigDecimal.valueOf(inLedger.size()))).setScale(2).toPlainString();
            assertThat(new ApiClient(restarted.port(), TestSettings.SECRET).getAs(user, "/api/billing/credits")
                    .text("balance_usdc"), is(expected));
        }
    }

    private static void awaitAtLeast(Set<String> acknowledged, int count, Duration timeout) {
        Awaitility.await("deductions acknowledged under load").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> acknowledged.size() >= count);
    }

    private static Set<String> deductionIds(CreditsServer server, String user) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection connection = TestDatabase.connect(server);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id FROM ledger_entries WHERE user_id = ? AND type = 'deduction'")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }
}
