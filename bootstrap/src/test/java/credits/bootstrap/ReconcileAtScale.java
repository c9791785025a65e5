package credits.bootstrap;

import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.LotTerms;
import credits.domain.UserId;
import credits.domain.Usdc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * How long reconcile takes on a large ledger, and that it runs in a small heap: a benchmark, not part of
 * the test run (its name matches none of Surefire's includes), run by {@code bench/reconcile-run}. The ledger is written straight into the tables as the owner
 * (through the append-only and running-balance triggers, which it satisfies), with the hash chain
 * computed by the domain; reconcile then runs as its own JVM with a 64 MiB heap while the service runs.
 */
class ReconcileAtScale {

    private static final int ENTRIES_PER_USER = 1_000;
    private static final String INSERT_ENTRY = """
            INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, caller, idempotency_key, fingerprint,
                                        operation, created_at, grant_id, drawn_lot_ids, drawn_units, category, priority, hash)
            VALUES (?, ?, ?, ?, ?, 'scale', ?, ?, ?, ?, ?, CAST(? AS uuid[]), CAST(? AS bigint[]), ?, ?, ?)""";

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    @Test
    void reconcileChecksAMillionEntriesInASmallHeap() throws Exception {
        long entries = Long.getLong("credits.reconcile.entries", 1_000_000);
        long users = Math.max(1, entries / ENTRIES_PER_USER);
        long seeding = System.nanoTime();
        try (Connection owner = TestDatabase.connectAsOwner(service.server())) {
            owner.setAutoCommit(false);
            for (long u = 0; u < users; u++) {
                seed(owner, "scale_" + u);
                owner.commit();
            }
        }
        System.out.printf("seeded %d users x %d entries in %d s%n", users, ENTRIES_PER_USER,
                Duration.ofNanos(System.nanoTime() - seeding).toSeconds());

        Path log = Files.createTempFile("reconcile-scale", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder reconcile = new ProcessBuilder("/usr/bin/time", "-f", "peak RSS %M KiB, %e s", java, "-Xmx64m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "reconcile")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        reconcile.environment().keySet().removeIf(name -> name.startsWith("CREDITS_"));
        reconcile.environment().put("CREDITS_DATA_DIR", service.dataDir().toString());
        long started = System.nanoTime();
        Process process = reconcile.start();
        int exit = process.waitFor();
        String output = Files.readString(log);
        System.out.printf("reconcile exit %d in %d ms:%n%s%n", exit, Duration.ofNanos(System.nanoTime() - started).toMillis(), output);
        assertThat(output, exit, is(0));
        assertThat(output, containsString((users * ENTRIES_PER_USER) + " entries checked, 0 discrepancies"));
    }

    /** One user: a grant, then deductions of 0.01 from its lot, chained; the credit row as they leave it. */
    private static void seed(Connection owner, String user) throws SQLException, IOException {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        EntryId lot = new EntryId(UUID.randomUUID());
        Usdc granted = Usdc.parse("1000");
        Usdc step = Usdc.parse("0.01");
        Usdc finalBalance = Usdc.ofUnits(granted.units() - (ENTRIES_PER_USER - 1) * step.units());
        try (PreparedStatement credit = owner.prepareStatement("""
                INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at, last_hash)
                VALUES (?, ?, 0, ?, ?, ?)""");
             PreparedStatement entry = owner.prepareStatement(INSERT_ENTRY);
             PreparedStatement lots = owner.prepareStatement("""
                     INSERT INTO lots (lot_id, user_id, entry_seq, category, priority, original_units, remaining_units, created_at)
                     SELECT id, user_id, seq, 'promotional', ?, amount_units, ?, created_at FROM ledger_entries WHERE id = ?""")) {
            String previous = LedgerHash.GENESIS;
            Usdc balance = Usdc.ZERO;
            credit.setString(1, user);
            credit.setLong(2, finalBalance.units());
            credit.setTimestamp(3, Timestamp.from(at));
            credit.setTimestamp(4, Timestamp.from(at));
            credit.setString(5, "0".repeat(64)); // set to the chain's head below
            credit.executeUpdate();
            for (int i = 0; i < ENTRIES_PER_USER; i++) {
                boolean grant = i == 0;
                EntryId id = grant ? lot : new EntryId(UUID.randomUUID());
                balance = grant ? granted : balance.minus(step);
                LedgerEntry written = new LedgerEntry(id, UserId.of(user), grant ? EntryType.GRANT : EntryType.DEDUCTION,
                        grant ? granted : step, balance, Optional.empty(), Optional.empty(), Optional.empty(),
                        grant ? Optional.of(lot) : Optional.empty(), grant ? List.of() : List.of(new Draw(lot, step)),
                        grant ? Optional.of(LotTerms.DEFAULT_GRANT) : Optional.empty(), Optional.empty(), at.plusMillis(i))
                        .chained(previous);
                previous = written.hash().orElseThrow();
                entry.setObject(1, id.value());
                entry.setString(2, user);
                entry.setString(3, written.type().code());
                entry.setLong(4, written.amount().units());
                entry.setLong(5, written.balanceAfter().units());
                entry.setString(6, id.toString());
                entry.setString(7, "f".repeat(64));
                entry.setString(8, written.type().code());
                entry.setTimestamp(9, Timestamp.from(written.createdAt()));
                entry.setObject(10, grant ? lot.value() : null);
                entry.setString(11, grant ? "{}" : "{" + lot + "}");
                entry.setString(12, grant ? "{}" : "{" + step.units() + "}");
                entry.setString(13, grant ? "promotional" : null);
                entry.setObject(14, grant ? LotTerms.DEFAULT_GRANT.priority() : null, java.sql.Types.SMALLINT);
                entry.setString(15, previous);
                entry.addBatch();
                if (grant) {
                    entry.executeBatch();
                    lots.setInt(1, LotTerms.DEFAULT_GRANT.priority());
                    lots.setLong(2, finalBalance.units());
                    lots.setObject(3, lot.value());
                    lots.executeUpdate();
                }
            }
            entry.executeBatch();
            try (PreparedStatement head = owner.prepareStatement("UPDATE credits SET last_hash = ? WHERE user_id = ?")) {
                head.setString(1, previous);
                head.setString(2, user);
                head.executeUpdate();
            }
        }
    }
}
