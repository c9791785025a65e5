package credits.bootstrap;

import com.sun.net.httpserver.HttpServer;
import credits.application.port.in.DeliverWebhooks;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static credits.bootstrap.EmbeddedDatabaseAccessTest.strings;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three service processes on one PostgreSQL (started here, as an operator's would be: a schema owner
 * and a runtime role), started at once so they race on the migrations. Concurrent clients spread
 * grants (some expiring within seconds), top-ups, deductions, holds (some expiring within seconds),
 * captures and releases over all three, some of them sent to two instances at once with one key,
 * while one instance is killed with {@code kill -9} and started again on its port; a request that got
 * no answer is retried with its key at any instance until it gets one. Then, in the database and
 * through the API: the schema was migrated once; every acknowledged move is in the ledger exactly
 * once, under the id its answer gave (both twins got the same), nothing else is; no key has two
 * effects; balances, lots and holds agree and are never negative; each hold is resolved and each lot
 * expired at most once although three sweepers ran; every event reached a webhook receiver, twice
 * only what the killed instance had sent but not recorded (then after its 60 s lease, which makes
 * such a run take about 75 s instead of 45); {@code reconcile} finds nothing.
 */
class SeveralInstancesTest {

    private static final int INSTANCES = 3;
    private static final int USERS = 6;
    private static final int WORKERS = 8;
    private static final long LOAD_MILLIS = 25_000;
    private static final long KILL_AFTER_MILLIS = 5_000;
    private static final int KILLED = 1;
    /**
     * Deliveries a receiver may get twice: only attempts the killed instance had sent but not recorded,
     * which are at most one pass of its dispatcher; they are sent again when their lease lapses.
     */
    private static final int MAX_DUPLICATE_DELIVERIES = DeliverWebhooks.DELIVERIES_PER_PASS;
    private static final Duration RECEIVER_LATENCY = Duration.ofMillis(50);
    private static final long RETRY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    private OperatorDatabase database;
    private HttpServer receiver;
    private final Process[] services = new Process[INSTANCES];
    private final ApiClient[] apis = new ApiClient[INSTANCES];
    private final ExecutorService twinPool = Executors.newCachedThreadPool();
    private final ExecutorService receiverPool = Executors.newFixedThreadPool(4);
    private final List<Operation> operations = new CopyOnWriteArrayList<>();
    private final Queue<Operation> unanswered = new ConcurrentLinkedQueue<>();
    private final Queue<Operation> openHolds = new ConcurrentLinkedQueue<>();
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger noAnswer = new AtomicInteger();
    private String adminToken;
    private String meterToken;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process service : services) {
            if (service != null) {
                service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        twinPool.shutdownNow();
        if (receiver != null) {
            receiver.stop(0);
        }
        receiverPool.shutdownNow();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void threeInstancesOnOneDatabaseWithOneKilledUnderLoadKeepEveryMoveOnceEveryKeyToOneEffectAndDeliverEveryEvent() throws Exception {
        long started = System.nanoTime();
        database = OperatorDatabase.start();
        Map<String, String> env = new HashMap<>(database.serviceEnv());
        env.putAll(Map.ofEntries(
                Map.entry("CREDITS_DB_POOL_SIZE", "8"),
                Map.entry("CREDITS_RATE_LIMIT_CAPACITY", "0"), Map.entry("CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "0"),
                Map.entry("CREDITS_WEBHOOK_RETRY_SECONDS", "1,1,1,1,1"),
                Map.entry("CREDITS_DEFAULT_LOW_BALANCE_USDC", "5.00"),
                Map.entry("CREDITS_EXPIRY_SWEEP_SECONDS", "1"),
                Map.entry("CREDITS_LOG_FORMAT", "text")));

        int[] ports = new int[INSTANCES];
        ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
        List<Future<Process>> starting = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            ports[i] = ServiceProcess.freePort();
            apis[i] = new ApiClient(ports[i], TestSettings.SECRET);
            Path dataDir = Files.createDirectories(dir.resolve("instance-" + i));
            int port = ports[i];
            starting.add(starters.submit(() -> ServiceProcess.start(dataDir, port, env)));
        }
        for (int i = 0; i < INSTANCES; i++) {
            services[i] = starting.get(i).get(3, TimeUnit.MINUTES);
        }
        starters.shutdown();
        long upMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        try (Connection superuser = superuser()) {
            assertThat("migrations applied more than once or failed, by the instances racing",
                    strings(superuser, "SELECT version || ' x' || count(*) || ' ' || bool_and(success) FROM flyway_schema_history"
                            + " WHERE version IS NOT NULL GROUP BY version HAVING count(*) <> 1 OR NOT bool_and(success)"), empty());
            assertThat(strings(superuser, "SELECT version FROM flyway_schema_history WHERE version = '13'"), is(List.of("13")));
        }

        adminToken = apis[0].tokenFor("multi_admin", "credits:admin");
        meterToken = apis[0].tokenFor("multi_meter", "credits:meter");
        List<String> received = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(receiverPool);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.getRequestBody().readAllBytes();
            pause(RECEIVER_LATENCY); // a receiver's own work: makes a kill during an attempt likely, so a lease lapses
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ApiClient.Response endpoint = apis[0].post(adminToken, "/api/admin/billing/webhooks", null,
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}"); // every event type
        assertThat(endpoint.raw().body(), endpoint.status(), is(201));

        List<String> users = new ArrayList<>();
        Random random = new Random();
        for (int i = 0; i < USERS; i++) {
            users.add("multi_user_" + i);
            Operation seed = grant(users.get(i), "20.00", null, false);
            operations.add(seed);
            send(seed, random);
            assertThat("seed grant for " + users.get(i), seed.acknowledged(), is(true));
        }

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Random own = new Random(random.nextLong());
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    Operation operation = unanswered.poll(); // retries first, same key and body
                    if (operation == null) {
                        operation = next(own, users);
                        operations.add(operation);
                    }
                    send(operation, own);
                }
                return null;
            }));
        }
        pool.shutdown();
        long loadStarted = System.nanoTime();
        Thread.sleep(KILL_AFTER_MILLIS); // a window of load, not a wait for a condition
        services[KILLED].destroyForcibly(); // SIGKILL: requests in flight on it get no answer, its claims stay claimed
        assertTrue(services[KILLED].waitFor(30, TimeUnit.SECONDS), "the killed instance should die");
        int beforeRestart = operations.size();
        services[KILLED] = ServiceProcess.start(dir.resolve("instance-" + KILLED), ports[KILLED], env);
        long restartedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStarted);
        Thread.sleep(Math.max(0, LOAD_MILLIS - restartedAfterMillis)); // the rest of the load window
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        long retryDeadline = System.nanoTime() + RETRY_DEADLINE_NANOS;
        Operation pending;
        while ((pending = unanswered.poll()) != null) {
            assertTrue(System.nanoTime() < retryDeadline, "every retried request should get a definitive answer");
            send(pending, random);
        }
        for (int i = 0; i < INSTANCES; i++) {
            assertTrue(services[i].isAlive(), "instance " + i + " should still run");
        }

        try (Connection superuser = superuser()) {
            // The sweepers of three instances write what is owed; then the dispatchers deliver what that fired. A
            // delivery the killed instance had claimed comes back only when its 60 s lease ends.
            Awaitility.await("every owed expiry written").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    // Short holds and expiring grants last seconds, the others an hour or for ever.
                    .until(() -> count(superuser, "SELECT count(*) FROM holds WHERE status = 'active'"
                            + " AND expires_at < now() + interval '10 minutes'") == 0
                            && count(superuser, "SELECT count(*) FROM lots WHERE expires_at IS NOT NULL"
                            + " AND remaining_units > reserved_units") == 0);
            long deliveriesFrom = System.nanoTime();
            Awaitility.await("every webhook delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> count(superuser, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'") == 0);
            long deliveriesWaitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deliveriesFrom);

            Report report = checkLedger(superuser);
            checkHolds(superuser, report);
            checkBalancesThroughEveryInstance(superuser, users, report);

            List<String> deliveries = strings(superuser, "SELECT event_id::text || ' ' || status FROM webhook_deliveries");
            List<String> notDelivered = deliveries.stream().filter(row -> !row.endsWith(" delivered")).toList();
            Set<String> deliveredEvents = new HashSet<>();
            deliveries.forEach(row -> deliveredEvents.add(row.substring(0, row.indexOf(' '))));
            Set<String> arrived = new HashSet<>();
            received.forEach(id -> arrived.add(id == null ? "no webhook-id" : id.replaceFirst("^evt_", "")));
            int duplicates = received.size() - arrived.size();
            Set<String> missing = new HashSet<>(deliveredEvents);
            missing.removeAll(arrived);
            Set<String> unknown = new HashSet<>(arrived);
            unknown.removeAll(deliveredEvents);

            Run reconcile = reconcile(database.reconcileEnv());
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[several-instances] up in " + upMillis + " ms; operations=" + operations.size()
                    + " (" + beforeRestart + " before the restart) acknowledged=" + report.acknowledged + " refused(402)="
                    + report.refused + " twins=" + report.twins + " twinsReplayed=" + report.twinsReplayed
                    + " twinsRefusedThenApplied=" + report.twinsRefusedThenApplied
                    + " noAnswer=" + noAnswer.get() + " retried=" + report.retried
                    + " cutOffButCommitted=" + report.cutOffButCommitted + " 5xx=" + serverErrors.size()
                    + " holds=" + report.holds + " expiredHolds=" + report.expiredHolds
                    + " expiries=" + count(superuser, "SELECT count(*) FROM ledger_entries WHERE type = 'expiry'")
                    + " lotsExpiredInParts=" + strings(superuser, "SELECT grant_id FROM ledger_entries WHERE type = 'expiry'"
                    + " GROUP BY grant_id HAVING count(*) > 1").size()
                    + " events=" + count(superuser, "SELECT count(*) FROM webhook_events") + " deliveries=" + deliveries.size()
                    + " received=" + received.size() + " duplicateDeliveries=" + duplicates
                    + " lastDeliveryAfterLoad=" + deliveriesWaitMillis + "ms (a lapsed lease: ~60 s)"
                    + " balancesChecked=" + report.balancesChecked + " elapsed=" + elapsedMillis + "ms; " + reconcile.out.strip());

            assertThat("a key with more than one effect",
                    strings(superuser, "SELECT caller || ' ' || operation || ' ' || idempotency_key FROM ledger_entries"
                            + " WHERE caller IS NOT NULL GROUP BY caller, operation, idempotency_key HAVING count(*) > 1"), empty());
            assertThat("a hold resolved twice (captured, released or expired by two instances)",
                    strings(superuser, "SELECT hold_id::text FROM ledger_entries WHERE hold_id IS NOT NULL AND type <> 'hold'"
                            + " GROUP BY hold_id HAVING count(*) > 1"), empty());
            // A lot may expire in several entries (what a hold reserved expires when the hold gives it back), but
            // at its expires_at once, and its entries add up to what the lot says expired.
            assertThat("a lot expired twice at its expires_at (by two sweepers), or in entries that are not its expired part",
                    strings(superuser, "SELECT l.lot_id || ': expired ' || l.expired_units || ', entries ' || coalesce(sum(e.amount_units), 0)"
                            + " || ', at expires_at ' || count(*) FILTER (WHERE e.created_at = l.expires_at)"
                            + " FROM lots l LEFT JOIN ledger_entries e ON e.grant_id = l.lot_id AND e.type = 'expiry' GROUP BY l.lot_id"
                            + " HAVING coalesce(sum(e.amount_units), 0) <> l.expired_units"
                            + " OR count(*) FILTER (WHERE e.created_at = l.expires_at) > 1"), empty());
            LedgerInvariants.assertHold(superuser);
            assertThat("acknowledged moves missing from the ledger or under another id", report.lost, empty());
            assertThat("keys with more than one effect, or effects nobody was told about", report.duplicated, empty());
            assertThat("twins (one key at two instances at once) applied under two ids", report.twinsApart, empty());
            assertThat("twins both applied, neither answered as the replay", report.twinsNeitherReplayed, empty());
            assertThat("answers other than 201/402 (200 for a release)", report.unexpected, empty());
            assertThat("5xx answers other than 503 (a 500 is a bug)",
                    serverErrors.stream().filter(error -> !error.startsWith("503")).toList(), empty());
            assertThat("holds whose stored status is not what their acknowledged calls made it", report.wrongHolds, empty());
            assertThat("balances the API shows differently from the database", report.wrongBalances, empty());
            assertThat("the kill should have cut some requests off", noAnswer.get(), greaterThan(0));
            assertThat("some twins should have been sent", report.twins, greaterThan(0));
            assertThat(report.acknowledged, greaterThan(USERS * 10));
            assertThat("events recorded without a delivery to the one endpoint", strings(superuser, "SELECT id::text FROM webhook_events ev"
                    + " WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)"), empty());
            assertThat("deliveries never delivered", notDelivered, empty());
            assertThat("events that never reached the receiver", missing, empty());
            assertThat("ids the receiver got that are no event of a delivery", unknown, empty());
            assertThat("events delivered twice (only a killed instance's unrecorded attempt may be)", duplicates,
                    lessThanOrEqualTo(MAX_DUPLICATE_DELIVERIES));
            assertThat(reconcile.out + reconcile.err, reconcile.exit, is(ReconcileCommand.CLEAN));
        }
    }

    private Operation next(Random random, List<String> users) {
        String user = users.get(random.nextInt(users.size()));
        boolean twin = random.nextInt(6) == 0;
        int pick = random.nextInt(10);
        if (pick >= 8) {
            Operation hold = openHolds.poll();
            if (hold != null) {
                // 0.01 is within any hold (the smallest is 0.01), so a capture is never above its hold.
                return pick == 8 ? capture(hold, twin) : release(hold, twin);
            }
        }
        return switch (pick) {
            // Small enough that balances run low: some deductions and holds are refused, some crossings fire.
            case 0 -> grant(user, cents(100 + random.nextInt(400)),
                    random.nextBoolean() ? Instant.now().plusSeconds(3 + random.nextInt(6)).truncatedTo(ChronoUnit.SECONDS) : null,
                    twin);
            case 1 -> topup(user, cents(100 + random.nextInt(400)), twin);
            case 2, 3, 4 -> deduction(user, cents(1 + random.nextInt(300)), twin);
            default -> hold(user, cents(1 + random.nextInt(100)), random.nextInt(4) == 0 ? 2 : 3600, twin);
        };
    }

    /**
     * One attempt at a random instance, or for a twin's first attempt at two different ones at once; an
     * operation that got no definitive answer goes back on the queue, to be retried at any instance.
     */
    private void send(Operation operation, Random random) {
        int first = random.nextInt(INSTANCES);
        CompletableFuture<Answer> other = null;
        if (operation.twin && operation.attempts.getAndIncrement() == 0) {
            int second = (first + 1 + random.nextInt(INSTANCES - 1)) % INSTANCES;
            other = CompletableFuture.supplyAsync(() -> attempt(operation, second), twinPool);
        } else if (!operation.twin) {
            operation.attempts.incrementAndGet();
        }
        boolean answered = settle(operation, attempt(operation, first));
        if (other != null) {
            answered |= settle(operation, other.join());
        }
        if (!answered) {
            unanswered.add(operation);
        }
    }

    private Answer attempt(Operation operation, int instance) {
        try {
            ApiClient.Response response = apis[instance].post(operation.token, operation.path, operation.key, operation.body);
            int status = response.status();
            if (status >= 500) {
                serverErrors.add(status + " from instance " + instance + " for " + operation.type + ": " + response.raw().body());
            }
            return new Answer(status, status == 200 || status == 201 ? response.text("id") : null,
                    "true".equals(response.header("Idempotent-Replayed")));
        } catch (UncheckedIOException cutOff) {
            noAnswer.incrementAndGet();
            operation.cutOff = true;
            return new Answer(-1, null, false);
        }
    }

    /** Keeps a definitive answer (anything but none or a 5xx); true when it was one. */
    private boolean settle(Operation operation, Answer answer) {
        if (answer.status == -1 || answer.status >= 500) {
            return false;
        }
        operation.answers.add(answer);
        if (answer.status == 201 && operation.type.equals("hold") && !operation.shortHold
                && operation.opened.compareAndSet(false, true)) {
            openHolds.add(operation);
        }
        return true;
    }

    private Report checkLedger(Connection superuser) throws SQLException {
        Map<String, List<LedgerRow>> byIdentity = new HashMap<>();
        try (Statement statement = superuser.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, type, caller, operation, idempotency_key, hold_id"
                     + " FROM ledger_entries WHERE caller IS NOT NULL")) {
            while (result.next()) {
                LedgerRow row = new LedgerRow(result.getString(1), result.getString(2), result.getString(6));
                byIdentity.computeIfAbsent(result.getString(3) + "|" + result.getString(4) + "|" + result.getString(5),
                        k -> new ArrayList<>()).add(row);
            }
        }
        Report report = new Report();
        Set<String> asked = new HashSet<>();
        for (Operation operation : operations) {
            asked.add(operation.identity());
            List<LedgerRow> effects = byIdentity.getOrDefault(operation.identity(), List.of());
            if (operation.attempts.get() > 1) {
                report.retried++;
            }
            if (operation.cutOff && operation.answers.stream().anyMatch(Answer::replayed)) {
                report.cutOffButCommitted++; // the kill took the answer, not the move
            }
            if (operation.twin) {
                report.twins++;
                if (operation.answers.stream().anyMatch(Answer::replayed)) {
                    report.twinsReplayed++;
                }
                List<Answer> applied = operation.answers.stream().filter(operation::appliedBy).toList();
                if (applied.stream().map(Answer::id).distinct().count() > 1) {
                    report.twinsApart.add(operation.type + " " + operation.key + " answered " + operation.answers);
                }
                if (applied.size() > 1 && applied.stream().noneMatch(Answer::replayed)) {
                    report.twinsNeitherReplayed.add(operation.type + " " + operation.key + " answered " + operation.answers);
                }
                // Allowed: a 402 stores nothing and leaves the key free, so a twin decided after it (once
                // another move had freed money) may apply, as a retry with the key would.
                if (!applied.isEmpty() && operation.answers.stream().anyMatch(answer -> answer.status == 402)) {
                    report.twinsRefusedThenApplied++;
                }
            }
            if (effects.size() > 1) {
                report.duplicated.add(operation.type + " " + operation.key + " has " + effects.size() + " ledger entries");
            }
            if (operation.answers.stream().anyMatch(answer -> !operation.appliedBy(answer) && answer.status != 402)) {
                report.unexpected.add(operation.type + " " + operation.key + " answered " + operation.answers);
            }
            Answer answer = operation.answers.stream().filter(operation::appliedBy).findFirst()
                    .orElse(operation.answers.isEmpty() ? null : operation.answers.get(0));
            int expected = operation.type.equals("release") ? 200 : 201;
            if (answer == null) {
                report.unexpected.add(operation.type + " " + operation.key + " got no answer");
            } else if (answer.status == expected) {
                report.acknowledged++;
                LedgerRow row = effects.size() == 1 ? effects.get(0) : null;
                boolean same = row != null && (operation.type.equals("release")
                        ? row.type.equals("hold_release") && row.holdId.equals(operation.hold.holdId())
                        : row.id.equals(answer.id));
                if (!same) {
                    report.lost.add(operation.type + " " + operation.key + " answered " + answer + " but the ledger has " + effects);
                }
            } else if (answer.status == 402 && !operation.type.equals("release")) {
                report.refused++;
                if (!effects.isEmpty()) {
                    report.duplicated.add(operation.type + " " + operation.key + " answered 402 yet moved money: " + effects);
                }
            } else {
                report.unexpected.add(operation.type + " " + operation.key + " answered " + operation.answers);
            }
        }
        byIdentity.forEach((identity, rows) -> {
            if (!asked.contains(identity)) {
                report.duplicated.add("ledger entries " + rows + " (" + identity + ") match no request");
            }
        });
        return report;
    }

    /**
     * Every acknowledged hold has the status its acknowledged calls gave it; a short one, which nobody
     * ends, is expired with exactly one release entry although three sweepers looked at it.
     */
    private void checkHolds(Connection superuser, Report report) throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        for (String row : strings(superuser, "SELECT hold_id::text || ' ' || status || ' ' || (SELECT count(*) FROM ledger_entries e"
                + " WHERE e.hold_id = h.hold_id AND e.type = 'hold_release' AND e.reason = 'expired') FROM holds h")) {
            String[] parts = row.split(" ");
            statuses.put(parts[0], parts[1] + (parts[1].equals("expired") ? " " + parts[2] : ""));
        }
        Map<Operation, String> endOf = new HashMap<>();
        for (Operation operation : operations) {
            if (operation.hold != null && operation.acknowledged()) {
                endOf.put(operation.hold, operation.type.equals("capture") ? "captured" : "released");
            }
        }
        for (Operation operation : operations) {
            if (!operation.type.equals("hold") || !operation.acknowledged()) {
                continue;
            }
            report.holds++;
            String expected = operation.shortHold ? "expired 1" : endOf.getOrDefault(operation, "active");
            if (operation.shortHold) {
                report.expiredHolds++;
            }
            String stored = statuses.get(operation.holdId());
            if (!expected.equals(stored)) {
                report.wrongHolds.add("hold " + operation.holdId() + " is '" + stored + "', expected '" + expected + "'");
            }
        }
    }

    /** Every instance shows every user the balance and held amount the database has. */
    private void checkBalancesThroughEveryInstance(Connection superuser, List<String> users, Report report) throws SQLException {
        Map<String, String> stored = new HashMap<>();
        for (String row : strings(superuser, "SELECT user_id || ' ' || balance_units || ' ' || held_units FROM credits")) {
            String[] parts = row.split(" ");
            stored.put(parts[0], parts[1] + " " + parts[2]);
        }
        for (ApiClient api : apis) {
            for (String user : users) {
                ApiClient.Response account = api.get(adminToken, "/api/admin/billing/credits/" + user);
                String shown = account.status() != 200 ? "status " + account.status()
                        : units(account.text("balance_usdc")) + " " + units(account.text("held_usdc"));
                report.balancesChecked++;
                if (!shown.equals(stored.get(user))) {
                    report.wrongBalances.add(user + " shows " + shown + ", the database has " + stored.get(user));
                }
            }
        }
    }

    private Connection superuser() throws SQLException {
        return database.superuser();
    }

    private static Run reconcile(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReconcileCommand.run(new String[0], env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        return Long.parseLong(strings(connection, sql).get(0));
    }

    /** Ledger units (10⁻⁷ USDC) of an amount as the API shows it. */
    private static String units(String usdc) {
        return usdc == null ? "null" : new BigDecimal(usdc).movePointRight(7).toBigIntegerExact().toString();
    }

    private static String cents(int cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    private Operation grant(String user, String amount, Instant expiresAt, boolean twin) {
        return new Operation("multi_admin", adminToken, "grant", "/api/admin/billing/credits/grant", "{\"user_id\":\"" + user
                + "\",\"amount_usdc\":\"" + amount + "\"" + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"") + "}",
                null, false, twin);
    }

    private Operation topup(String user, String amount, boolean twin) {
        return new Operation("multi_admin", adminToken, "topup", "/api/billing/credits/topups", "{\"user_id\":\"" + user
                + "\",\"amount_usdc\":\"" + amount + "\",\"payment_reference\":\"pay-" + UUID.randomUUID() + "\"}", null, false, twin);
    }

    private Operation deduction(String user, String amount, boolean twin) {
        return new Operation("multi_meter", meterToken, "deduction", "/api/billing/credits/deductions", "{\"user_id\":\"" + user
                + "\",\"amount_usdc\":\"" + amount + "\",\"reference\":\"multi/test\"}", null, false, twin);
    }

    private Operation hold(String user, String amount, int expiresInSeconds, boolean twin) {
        return new Operation("multi_meter", meterToken, "hold", "/api/billing/credits/holds", "{\"user_id\":\"" + user
                + "\",\"amount_usdc\":\"" + amount + "\",\"expires_in_seconds\":" + expiresInSeconds + "}", null,
                expiresInSeconds < 60, twin);
    }

    private Operation capture(Operation hold, boolean twin) {
        return new Operation("multi_meter", meterToken, "capture", "/api/billing/credits/holds/" + hold.holdId() + "/capture",
                "{\"amount_usdc\":\"0.01\"}", hold, false, twin);
    }

    private Operation release(Operation hold, boolean twin) {
        return new Operation("multi_meter", meterToken, "release", "/api/billing/credits/holds/" + hold.holdId() + "/release",
                "{}", hold, false, twin);
    }

    /** One client request, kept with its key and body so it can be retried exactly; {@code type} is the route's operation. */
    private static final class Operation {
        final String caller;
        final String token;
        final String type;
        final String path;
        final String body;
        final String key = UUID.randomUUID().toString();
        final Operation hold; // the hold a capture or release ends
        final boolean shortHold; // expires within the test; nobody ends it
        final boolean twin; // first sent to two instances at once
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicBoolean opened = new AtomicBoolean();
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        volatile boolean cutOff; // an attempt got no answer

        Operation(String caller, String token, String type, String path, String body, Operation hold, boolean shortHold,
                  boolean twin) {
            this.caller = caller;
            this.token = token;
            this.type = type;
            this.path = path;
            this.body = body;
            this.hold = hold;
            this.shortHold = shortHold;
            this.twin = twin;
        }

        boolean acknowledged() {
            return answers.stream().anyMatch(this::appliedBy);
        }

        /** Whether {@code answer} says this request took effect (200 for a release, 201 otherwise). */
        boolean appliedBy(Answer answer) {
            return answer.status == (type.equals("release") ? 200 : 201);
        }

        String holdId() {
            return answers.stream().filter(this::appliedBy).findFirst().orElseThrow().id;
        }

        String identity() {
            return caller + "|" + type + "|" + key;
        }
    }

    private record Answer(int status, String id, boolean replayed) {
    }

    private record LedgerRow(String id, String type, String holdId) {
    }

    private record Run(int exit, String out, String err) {
    }

    private static final class Report {
        int acknowledged;
        int refused;
        int retried;
        int cutOffButCommitted;
        int twins;
        int twinsReplayed;
        int holds;
        int expiredHolds;
        int balancesChecked;
        final List<String> lost = new ArrayList<>();
        final List<String> duplicated = new ArrayList<>();
        final List<String> twinsApart = new ArrayList<>();
        final List<String> twinsNeitherReplayed = new ArrayList<>(); // both applied, neither marked as the replay
        int twinsRefusedThenApplied;
        final List<String> unexpected = new ArrayList<>();
        final List<String> wrongHolds = new ArrayList<>();
        final List<String> wrongBalances = new ArrayList<>();
    }
}
