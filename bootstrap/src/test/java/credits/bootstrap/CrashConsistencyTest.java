package credits.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} in the middle of money moving: concurrent clients send grants, deductions, holds and
 * captures or releases of acknowledged holds, each with its own idempotency key; the service is killed at random points and started again on the same
 * data dir; every request that got no answer is retried with the same key and body until it gets a
 * definitive one. Then, in the database itself: every acknowledged operation is in the ledger exactly
 * once, no key has two effects, nothing is in the ledger that no client asked for, every acknowledged
 * hold has the status its last acknowledged call gave it (none both captured and released), every
 * balance is the signed sum of its ledger and not negative, and held = Σ active holds. Run with {@code -Dcrash.seed=N} to replay a seed's
 * kill points and amounts; {@code -Dcrash.users}, {@code -Dcrash.workers}, {@code -Dcrash.kills} and
 * {@code -Dcrash.roundMillis} size the run (Surefire hands {@code -D} properties from the Maven command line
 * to the forked test JVM). {@code bench/crash-run} is the longer run.
 */
class CrashConsistencyTest {

    private static final String GRANTS = "/api/admin/billing/credits/grant";
    private static final String DEDUCTIONS = "/api/billing/credits/deductions";
    private static final String HOLDS = "/api/billing/credits/holds";
    private static final String ADMIN = "crash_admin";
    private static final String METER = "crash_meter";
    // CI-sized by default; bench/crash-run raises them (-Dcrash.users=… etc.) for the longer run.
    private static final int USERS = Integer.getInteger("crash.users", 5);
    private static final int WORKERS = Integer.getInteger("crash.workers", 8);
    private static final int KILLS = Integer.getInteger("crash.kills", 3);
    /** Each round's load runs a random time from {@link #MIN_ROUND_MILLIS} to this, then the SIGKILL. */
    private static final int ROUND_MILLIS = Integer.getInteger("crash.roundMillis", 1500);
    private static final int MIN_ROUND_MILLIS = 300;
    private static final long RETRY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dataDir;

    private Process service;

    @AfterEach
    void killLeftovers() {
        if (service != null) {
            service.destroyForcibly();
        }
        ServiceProcess.postmaster(dataDir).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void killNineAtRandomPointsUnderConcurrentGrantsDeductionsAndHoldsLosesAndDuplicatesNoMoney() throws Exception {
        assertTrue(USERS > 0 && WORKERS > 0 && KILLS > 0 && ROUND_MILLIS > MIN_ROUND_MILLIS,
                "crash.users, crash.workers and crash.kills must be positive, crash.roundMillis over " + MIN_ROUND_MILLIS);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("[crash-consistency] seed=" + seed + " users=" + USERS + " workers=" + WORKERS + " kills=" + KILLS
                + " roundMillis=" + ROUND_MILLIS + " (replay with -Dcrash.seed=" + seed + " and the same sizes)");
        Random random = new Random(seed);
        long started = System.nanoTime();

        int port = ServiceProcess.freePort();
        List<Operation> operations = new CopyOnWriteArrayList<>();
        Queue<Operation> unanswered = new ConcurrentLinkedQueue<>();
        // Acknowledged holds nobody has sent a capture or release for yet; each gets one, retried with its key.
        Queue<Operation> openHolds = new ConcurrentLinkedQueue<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add("crash_user_" + i);
        }

        service = start(port);
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        for (String user : users) {
            Operation seedGrant = Operation.grant(user, "20.00");
            operations.add(seedGrant);
            send(api, seedGrant, unanswered, openHolds);
            assertThat("seed grant for " + user, seedGrant.finalStatus, is(201));
        }

        AtomicInteger fivehundreds = new AtomicInteger();
        for (int round = 0; round < KILLS; round++) {
            long killAfterMillis = MIN_ROUND_MILLIS + random.nextInt(ROUND_MILLIS - MIN_ROUND_MILLIS);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<?>> workers = runLoad(api, users, operations, unanswered, openHolds, running, seed * 31 + round,
                    fivehundreds);
            Thread.sleep(killAfterMillis); // the kill point itself: load runs this long, then SIGKILL
            int inFlightAnswered = countAnswered(operations);
            service.destroyForcibly(); // SIGKILL: no shutdown hook, requests in flight get no response
            running.set(false);
            assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service should die on SIGKILL");
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            System.out.println("[crash-consistency] kill " + (round + 1) + " after " + killAfterMillis + " ms; "
                    + operations.size() + " operations so far, " + inFlightAnswered + " answered before the kill, "
                    + unanswered.size() + " awaiting a retry");

            service = start(port);
            api = new ApiClient(port, TestSettings.SECRET);
        }

        // Last stretch: a little more load on the restarted service, then retry until every answer is in.
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> workers = runLoad(api, users, operations, unanswered, openHolds, running, seed * 31 + KILLS,
                fivehundreds);
        Thread.sleep(MIN_ROUND_MILLIS); // a short window of load, not a wait for a condition
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get(60, TimeUnit.SECONDS);
        }
        long retryDeadline = System.nanoTime() + RETRY_DEADLINE_NANOS;
        Operation pending;
        while ((pending = unanswered.poll()) != null) {
            assertTrue(System.nanoTime() < retryDeadline, "every retried request should get a definitive answer");
            send(api, pending, unanswered, openHolds);
        }

        service.destroy(); // SIGTERM: stops its PostgreSQL too, so the data dir can be opened in-process
        assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service should stop on SIGTERM");

        try (CreditsServer reader = CreditsServer.start(TestSettings.embedded(dataDir))) {
            List<LedgerRow> ledger = ledger(reader);
            Report report = check(operations, ledger);
            checkHolds(operations, holdStatuses(reader), report);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[crash-consistency] seed=" + seed + " operations=" + operations.size()
                    + " kills=" + KILLS + " acknowledged=" + report.acknowledged + " retried=" + report.retried
                     + " retriedThen201=" + report.retriedApplied
                    + " (replays of entries committed before the kill=" + report.replayed + ")" + " insufficient(402)=" + report.refused
                    + " 5xx=" + fivehundreds.get() + " ledgerEntries=" + ledger.size()
                    + " holds=" + report.holds + " captured=" + report.captured + " released=" + report.released
                    + " lost=" + report.lost.size() + " duplicated=" + report.duplicated.size()
                    + " elapsed=" + elapsedMillis + "ms");

            assertThat("acknowledged operations missing from the ledger", report.lost, empty());
            assertThat("keys with more than one effect, or effects nobody was told about", report.duplicated, empty());
            assertThat("answers other than 201/402 (200 for a release; 409 would mean a retry was taken for another request)",
                    report.unexpected, empty());
            assertThat("holds whose stored status is not what their last acknowledged call gave them", report.wrongHolds, empty());
            assertThat("some requests should have been cut off by a kill", report.retried, greaterThan(0));
            assertThat(report.acknowledged, greaterThan(USERS));
            LedgerInvariants.assertHold(reader);
        }
    }

    private List<Future<?>> runLoad(ApiClient api, List<String> users, List<Operation> operations,
                                    Queue<Operation> unanswered, Queue<Operation> openHolds, AtomicBoolean running, long seed,
                                    AtomicInteger fivehundreds) {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Random random = new Random(seed * 1_000 + w);
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    Operation operation = unanswered.poll(); // retries first, same key and body
                    if (operation == null) {
                        String user = users.get(random.nextInt(users.size()));
                        int pick = random.nextInt(8);
                        Operation hold = pick >= 6 ? openHolds.poll() : null;
                        if (hold != null) {
                            // 0.01 is within any hold (the smallest is 0.01), so a capture is never above its hold.
                            operation = pick == 6 ? Operation.capture(hold, "0.01") : Operation.release(hold);
                        } else if (pick >= 4) {
                            operation = Operation.hold(user, cents(1 + random.nextInt(100)));
                        } else {
                            operation = pick == 0
                                    ? Operation.grant(user, cents(100 + random.nextInt(900)))
                                    : Operation.deduction(user, cents(1 + random.nextInt(300)));
                        }
                        operations.add(operation);
                    }
                    if (send(api, operation, unanswered, openHolds) >= 500) {
                        fivehundreds.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        return workers;
    }

    /** One attempt; an operation without a definitive answer goes back on the queue. Returns the status, or -1. */
    private static int send(ApiClient api, Operation operation, Queue<Operation> unanswered, Queue<Operation> openHolds) {
        int attempt = operation.attempts.incrementAndGet();
        int status;
        String id = null;
        try {
            ApiClient.Response response = api.post(api.tokenFor(operation.caller, operation.scope), operation.endpoint,
                    operation.key, operation.body);
            status = response.status();
            if (status == 201 || status == 200) {
                id = response.text("id");
                if ("true".equals(response.header("Idempotent-Replayed"))) {
                    operation.replayed = true;
                }
            }
        } catch (UncheckedIOException noResponse) {
            status = -1;
        }
        if (attempt == 1) {
            operation.firstStatus = status;
        }
        if (status == 201 || status == 200 || status == 402 || status == 409) {
            boolean firstAnswer = operation.finalStatus == 0;
            operation.finalStatus = status;
            operation.entryId = id;
            if (firstAnswer && status == 201 && operation.type.equals("hold")) {
                openHolds.add(operation);
            }
        } else {
            unanswered.add(operation);
        }
        return status;
    }

    private static Report check(List<Operation> operations, List<LedgerRow> ledger) {
        Map<String, LedgerRow> byId = new HashMap<>();
        Map<String, List<LedgerRow>> byIdentity = new HashMap<>();
        for (LedgerRow row : ledger) {
            byId.put(row.id, row);
            byIdentity.computeIfAbsent(row.identity(), k -> new ArrayList<>()).add(row);
        }
        Report report = new Report();
        Map<String, Operation> byKey = new HashMap<>();
        for (Operation operation : operations) {
            byKey.put(operation.identity(), operation);
            List<LedgerRow> effects = byIdentity.getOrDefault(operation.identity(), List.of());
            boolean retried = operation.attempts.get() > 1;
            if (retried) {
                report.retried++;
            }
            if (effects.size() > 1) {
                report.duplicated.add(operation.key + " has " + effects.size() + " ledger entries");
            }
            switch (operation.finalStatus) {
                case 200 -> { // a release answers with the hold, not its entry
                    report.acknowledged++;
                    if (effects.size() != 1 || !effects.get(0).type.equals("hold_release")) {
                        report.lost.add(operation.key + " answered 200 but the ledger has " + effects.size() + " entries for its key");
                    }
                }
                case 201 -> {
                    report.acknowledged++;
                    if (retried) {
                        report.retriedApplied++;
                    }
                    if (operation.replayed) {
                        report.replayed++;
                    }
                    LedgerRow row = byId.get(operation.entryId);
                    if (row == null || effects.size() != 1) {
                        report.lost.add(operation.key + " answered 201 with " + operation.entryId + " but the ledger has "
                                + (row == null ? "no such entry" : effects.size() + " entries for its key"));
                    } else if (!row.identity().equals(operation.identity()) || !row.user.equals(operation.user)) {
                        report.lost.add(operation.key + " answered 201 with " + operation.entryId
                                + ", an entry of another request: " + row.identity());
                    }
                }
                case 402 -> {
                    report.refused++;
                    if (!effects.isEmpty()) {
                        report.duplicated.add(operation.key + " answered 402 yet moved money: " + effects.get(0).id);
                    }
                }
                default -> report.unexpected.add(operation.key + " ended with " + operation.finalStatus
                        + " (first answer " + operation.firstStatus + ", " + operation.attempts + " attempts)");
            }
        }
        for (LedgerRow row : ledger) {
            if (row.caller != null && !byKey.containsKey(row.identity())) {
                report.duplicated.add("ledger entry " + row.id + " (" + row.identity() + ") matches no request");
            }
        }
        return report;
    }

    private static List<LedgerRow> ledger(CreditsServer server) throws Exception {
        List<LedgerRow> rows = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(server);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT id, user_id, type, caller, idempotency_key, operation FROM ledger_entries")) {
            while (result.next()) {
                rows.add(new LedgerRow(result.getString(1), result.getString(2), result.getString(3),
                        result.getString(4), result.getString(5), result.getString(6)));
            }
        }
        return rows;
    }

    private static Map<String, String> holdStatuses(CreditsServer server) throws Exception {
        Map<String, String> statuses = new HashMap<>();
        try (Connection connection = TestDatabase.connect(server);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT hold_id, status FROM holds")) {
            while (result.next()) {
                statuses.put(result.getString(1), result.getString(2));
            }
        }
        return statuses;
    }

    /**
     * Every acknowledged hold exists with the status its last acknowledged call gave it: captured or
     * released when that was acknowledged, otherwise still active (none expires within the test).
     */
    private static void checkHolds(List<Operation> operations, Map<String, String> statuses, Report report) {
        Map<Operation, Operation> endOf = new HashMap<>();
        for (Operation operation : operations) {
            if (operation.hold != null && operation.finalStatus != 0) {
                endOf.put(operation.hold, operation);
            }
        }
        for (Operation operation : operations) {
            if (!operation.type.equals("hold") || operation.finalStatus != 201) {
                continue;
            }
            report.holds++;
            Operation end = endOf.get(operation);
            String expected = end == null ? "active" : end.type.equals("capture") ? "captured" : "released";
            if (end != null) {
                if (expected.equals("captured")) {
                    report.captured++;
                } else {
                    report.released++;
                }
            }
            String stored = statuses.get(operation.entryId);
            if (!expected.equals(stored)) {
                report.wrongHolds.add("hold " + operation.entryId + " is " + stored + ", its last acknowledged call made it "
                        + expected);
            }
        }
    }

    private Process start(int port) throws Exception {
        return ServiceProcess.start(dataDir, port, Map.of(
                "CREDITS_RATE_LIMIT_CAPACITY", "0",
                "CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "0",
                "CREDITS_LOG_FORMAT", "text"));
    }

    private static int countAnswered(List<Operation> operations) {
        int answered = 0;
        for (Operation operation : operations) {
            if (operation.finalStatus != 0) {
                answered++;
            }
        }
        return answered;
    }

    private static String cents(int cents) {
        return java.math.BigDecimal.valueOf(cents, 2).toPlainString();
    }


    /** One client request, kept with its key and body so it can be retried exactly. */
    private static final class Operation {
        final String caller;
        final String scope;
        final String type;
        final String endpoint;
        final String user;
        final String key = UUID.randomUUID().toString();
        final String body;
        final AtomicInteger attempts = new AtomicInteger();
        volatile int firstStatus;
        volatile int finalStatus;
        volatile String entryId;
        volatile boolean replayed; // committed before a kill cut off its answer; the retry got the replay
        final Operation hold; // the hold a capture or release ends

        private Operation(String caller, String scope, String type, String endpoint, String user, String body) {
            this(caller, scope, type, endpoint, user, body, null);
        }

        private Operation(String caller, String scope, String type, String endpoint, String user, String body, Operation hold) {
            this.caller = caller;
            this.scope = scope;
            this.type = type;
            this.endpoint = endpoint;
            this.user = user;
            this.body = body;
            this.hold = hold;
        }

        static Operation hold(String user, String amount) {
            return new Operation(METER, "credits:meter", "hold", HOLDS, user,
                    "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\",\"expires_in_seconds\":3600}");
        }

        static Operation capture(Operation hold, String amount) {
            return new Operation(METER, "credits:meter", "capture", HOLDS + "/" + hold.entryId + "/capture", hold.user,
                    "{\"amount_usdc\":\"" + amount + "\"}", hold);
        }

        static Operation release(Operation hold) {
            return new Operation(METER, "credits:meter", "release", HOLDS + "/" + hold.entryId + "/release", hold.user, "{}", hold);
        }

        static Operation grant(String user, String amount) {
            return new Operation(ADMIN, "credits:admin", "grant", GRANTS, user,
                    "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"}");
        }

        static Operation deduction(String user, String amount) {
            return new Operation(METER, "credits:meter", "deduction", DEDUCTIONS, user,
                    "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\",\"reference\":\"crash/test\"}");
        }

        String identity() {
            return caller + "|" + type + "|" + key;
        }
    }

    /** {@code operation} is what a key is scoped to: the entry's type, except for a capture or a release. */
    private record LedgerRow(String id, String user, String type, String caller, String key, String operation) {
        String identity() {
            return caller + "|" + operation + "|" + key;
        }
    }

    private static final class Report {
        int acknowledged;
        int retried;
        int retriedApplied;
        int replayed;
        int refused;
        final List<String> lost = new ArrayList<>();
        final List<String> duplicated = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> wrongHolds = new ArrayList<>();
        int holds;
        int captured;
        int released;
    }
}
