package credits.bootstrap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The real {@code reconcile} command on the embedded database of a running service, whose ledger was
 * written through the HTTP API; the tampering is done as the schema owner (the role that could switch
 * the guards off), and each test puts back what it changed, so the ledger is clean again after it.
 */
class ReconcileEndToEndTest {

    private static final String DEDUCTIONS = "/api/billing/credits/deductions";
    private static final String HOLDS = "/api/billing/credits/holds";

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    private static final String ALICE = "rec_alice_" + UUID.randomUUID();
    private static final String BOB = "rec_bob_" + UUID.randomUUID();

    @BeforeAll
    static void writeALedgerThroughTheApi() {
        String meter = service.api().tokenFor("e2e_gateway", "credits:meter");
        assertThat(service.api().grant(ALICE, "10").status(), is(201));
        assertThat(service.api().grant(ALICE, "5").status(), is(201));
        assertThat(service.api().post(meter, DEDUCTIONS, key(), move(ALICE, "2.5")).status(), is(201));
        assertThat(service.api().post(meter, HOLDS, key(), move(ALICE, "3")).status(), is(201));
        assertThat(service.api().grant(BOB, "4").status(), is(201));
        assertThat(service.api().post(meter, DEDUCTIONS, key(), move(BOB, "1")).status(), is(201));
    }

    @Test
    void aLedgerWrittenThroughTheApiReconcilesCleanWhileTheServiceRuns() {
        Run run = reconcile();

        assertThat(run.err, run.exit, is(0));
        assertThat(run.out, run.out.matches("reconcile: \\d+ accounts, \\d+ entries checked, 0 discrepancies \\(\\d+ ms\\)\\n"), is(true));
    }

    @Test
    void aRunThatTakesLongReportsItsProgressOnStderr() {
        long[] now = {0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // Each look at the clock finds it 6 s later than the one before.
        int exit = ReconcileCommand.run(new String[0], Map.of("CREDITS_DATA_DIR", service.dataDir().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> now[0] += 6_000_000_000L);

        assertThat(exit, is(0));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("entries checked so far (6 s)"));
        assertThat(out.toString(StandardCharsets.UTF_8), not(containsString("so far")));
    }

    @Test
    void oneAccountIsReconciledAloneWithUser() {
        Run run = reconcile("--user", ALICE);

        assertThat(run.err, run.exit, is(0));
        assertThat(run.out, containsString("reconcile: 1 accounts, 4 entries checked, 0 discrepancies"));
    }

    @Test
    void aBalanceEditedAsTheOwnerIsNamedWithItsAccount() throws SQLException {
        try (Connection owner = TestDatabase.connectAsOwner(service.server())) {
            tamper(owner, "credits", "UPDATE credits SET balance_units = balance_units + 10000000 WHERE user_id = ?", ALICE);
            try {
                Run run = reconcile();

                assertThat(run.out, run.exit, is(1));
                assertThat(run.out, containsString("discrepancy account=" + ALICE + " entry=- check=balance_vs_entries expected=12.50 found=13.50"));
                assertThat(run.out, containsString("discrepancy account=" + ALICE + " entry=- check=balance_vs_lots expected=12.50 found=13.50"));
                assertThat(run.out, containsString(", 2 discrepancies"));
                assertThat(run.out, not(containsString(BOB)));
            } finally {
                tamper(owner, "credits", "UPDATE credits SET balance_units = balance_units - 10000000 WHERE user_id = ?", ALICE);
            }
        }
        assertThat(reconcile().exit, is(0));
    }

    @Test
    void anEntryWhoseAmountWasChangedBehindTheAppendOnlyGuardIsNamedByItsId() throws SQLException {
        try (Connection owner = TestDatabase.connectAsOwner(service.server())) {
            String deduction = single(owner, "SELECT id FROM ledger_entries WHERE user_id = ? AND type = 'deduction'", BOB);
            String change = "UPDATE ledger_entries SET amount_units = amount_units %s 5000000, drawn_units = ARRAY[amount_units %1$s 5000000]"
                    + " WHERE user_id = ? AND type = 'deduction'";
            tamper(owner, "ledger_entries", change.formatted("+"), BOB);
            try {
                Run run = reconcile("--user", BOB);

                assertThat(run.out, run.exit, is(1));
                assertThat(run.out, allOf(
                        containsString("discrepancy account=" + BOB + " entry=" + deduction + " check=balance_after expected=2.50 found=3.00"),
                        containsString("discrepancy account=" + BOB + " entry=" + deduction + " check=entry_hash"),
                        containsString("discrepancy account=" + BOB + " entry=- check=balance_vs_entries expected=2.50 found=3.00")));
            } finally {
                tamper(owner, "ledger_entries", change.formatted("-"), BOB);
            }
        }
        assertThat(reconcile("--user", BOB).exit, is(0));
    }

    @Test
    void anEntryDeletedBehindTheAppendOnlyGuardIsFoundByTheBalanceAndTheChainHead() throws SQLException {
        try (Connection owner = TestDatabase.connectAsOwner(service.server())) {
            String grant = single(owner, "SELECT id FROM ledger_entries WHERE user_id = ? AND type = 'grant'", BOB);
            try (Statement keep = owner.createStatement()) {
                keep.execute("CREATE TEMP TABLE kept_entry AS SELECT * FROM ledger_entries WHERE user_id = '" + BOB
                        + "' AND type = 'deduction'");
            }
            tamper(owner, "ledger_entries", "DELETE FROM ledger_entries WHERE user_id = ? AND type = 'deduction'", BOB);
            try {
                Run run = reconcile("--user", BOB);

                assertThat(run.out, run.exit, is(1));
                assertThat(run.out, allOf(
                        containsString("discrepancy account=" + BOB + " entry=- check=balance_vs_entries"),
                        containsString("discrepancy account=" + BOB + " entry=- check=last_hash")));
                assertThat(run.out, not(containsString("entry=" + grant + " check=entry_hash")));
            } finally {
                // Put back as it was: it follows the entry now last, so the guards accept it as they are.
                try (Statement restore = owner.createStatement()) {
                    restore.execute("INSERT INTO ledger_entries OVERRIDING SYSTEM VALUE SELECT * FROM kept_entry");
                }
            }
        }
        assertThat(reconcile("--user", BOB).exit, is(0));
    }

    @Test
    void aLotWhoseRemainingWasTakenIsFoundAndReportedAsJson() throws SQLException {
        try (Connection owner = TestDatabase.connectAsOwner(service.server())) {
            String remaining = single(owner, "SELECT remaining_units::text FROM lots WHERE user_id = ?", BOB);
            tamper(owner, "lots", "UPDATE lots SET remaining_units = 0 WHERE user_id = ?", BOB);
            try {
                Run run = reconcile("--user", BOB, "--json");

                assertThat(run.out, run.exit, is(1));
                assertThat(run.out, is("{\"account\":\"" + BOB + "\",\"entry\":null,\"check\":\"balance_vs_lots\",\"expected\":\"0.00\","
                        + "\"found\":\"3.00\"}\n" + run.out.substring(run.out.indexOf("{\"accounts\""))));
                assertThat(run.out, containsString("{\"accounts\":1,\"entries\":2,\"discrepancies\":1,\"elapsed_ms\":"));
            } finally {
                tamper(owner, "lots", "UPDATE lots SET remaining_units = " + Long.parseLong(remaining) + " WHERE user_id = ?", BOB);
            }
        }
    }

    @Test
    void aStoppedServicesDatabaseIsStartedReconciledAndStoppedAgain(@TempDir Path dataDir) throws Exception {
        try (CreditsServer stopped = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(new ApiClient(stopped.port(), TestSettings.SECRET).grant("rec_carol", "1").status(), is(201));
        }

        Run run = reconcile(Map.of("CREDITS_DATA_DIR", dataDir.toString()));

        assertThat(run.err, run.exit, is(0));
        assertThat(run.out, containsString("reconcile: 1 accounts, 1 entries checked, 0 discrepancies"));
        assertThat("PostgreSQL was stopped again", ServiceProcess.postmaster(dataDir).isPresent(), is(false));
    }

    @Test
    void aDatabaseThatCannotBeReachedExits2() throws Exception {
        Run run = reconcile(Map.of("CREDITS_DB_URL", "jdbc:postgresql://127.0.0.1:" + ServiceProcess.freePort() + "/credits",
                "CREDITS_DB_USER", "credits_app", "CREDITS_DB_PASSWORD", "not-a-secret-that-matters"));

        assertThat(run.exit, is(2));
        assertThat(run.err, allOf(containsString("reconcile could not run"), not(containsString("not-a-secret-that-matters"))));
        assertThat(run.out, is(""));
    }

    @Test
    void aDataDirWithoutADatabaseExits2AndCreatesNone(@TempDir Path empty) {
        Run run = reconcile(Map.of("CREDITS_DATA_DIR", empty.toString()));

        assertThat(run.exit, is(2));
        assertThat(run.err, containsString("no embedded database in data dir"));
        assertThat(EmbeddedPostgresServer.hasCluster(empty), is(false));
    }

    @Test
    void anUnknownOptionExits2WithTheUsage() {
        Run run = reconcile("--fix");

        assertThat(run.exit, is(2));
        assertThat(run.err, containsString("usage: reconcile [--user ID] [--json]"));
    }

    /** Changes rows as the owner with the table's own triggers (append-only, running balance) switched off meanwhile. */
    private static void tamper(Connection owner, String table, String sql, String user) throws SQLException {
        owner.setAutoCommit(false);
        try (Statement statement = owner.createStatement(); PreparedStatement change = owner.prepareStatement(sql)) {
            for (String guarded : List.of(table, "credits")) {
                statement.execute("ALTER TABLE " + guarded + " DISABLE TRIGGER USER");
            }
            change.setString(1, user);
            assertThat(change.executeUpdate(), is(1));
            for (String guarded : List.of(table, "credits")) {
                statement.execute("ALTER TABLE " + guarded + " ENABLE TRIGGER USER");
            }
            owner.commit();
        } catch (SQLException | RuntimeException | AssertionError e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(true);
        }
    }

    private static String single(Connection connection, String sql, String user) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, user);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next(), is(true));
                return row.getString(1);
            }
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run reconcile(String... args) {
        return reconcile(Map.of("CREDITS_DATA_DIR", service.dataDir().toString()), args);
    }

    private static Run reconcile(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> settings = new HashMap<>(env);
        int exit = ReconcileCommand.run(args, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String move(String user, String amount) {
        return "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"}";
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
