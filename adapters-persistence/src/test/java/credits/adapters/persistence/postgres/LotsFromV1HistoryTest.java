package credits.adapters.persistence.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import credits.domain.CreditEventType;
import credits.domain.Delivery;
import credits.domain.Draw;
import credits.domain.EndpointId;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhookSecret;
import credits.domain.LedgerHash;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LotPage;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Refund;
import credits.domain.UserId;
import credits.domain.Usdc;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrations on a database the v1 schema wrote, with real history in it: grants, deductions that
 * span grants, partial refunds. Migration 6 replays it into lots; migration 8 scopes its keys by
 * operation (a v1 key still replays); migration 10 chains every entry. Every v1 grant becomes a promotional lot of priority 50 without
 * expiry, what is left of each is what the burn-down (oldest first, since all lots tie otherwise)
 * leaves, every deduction and refund gets its drawn_from, and later refunds go back into the right lots.
 */
class LotsFromV1HistoryTest {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");
    private static final UserId SCRIPTED = UserId.of("v1_scripted");
    // The same history again, for the test that refunds after the migration (the others read SCRIPTED unchanged).
    private static final UserId REFUNDED_LATER = UserId.of("v1_refunded_later");
    private static final int RANDOM_USERS = 40;

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;
    private static final Map<String, EntryId> scripted = new HashMap<>();
    private static final Map<String, EntryId> refundedLater = new HashMap<>();
    private static final Map<UserId, Long> randomBalances = new HashMap<>();

    @BeforeAll
    static void writeAV1LedgerThenMigrate() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        // The schema as v1 left it: the migrations before lots.
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration")
                .placeholders(Map.of("runtime_role", "postgres")).target("4").load().migrate();
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            V1Ledger v1 = new V1Ledger(connection);
            v1.scriptedHistory(SCRIPTED, scripted);
            v1.scriptedHistory(REFUNDED_LATER, refundedLater);
            SplittableRandom random = new SplittableRandom(20261202);
            for (int i = 0; i < RANDOM_USERS; i++) {
                UserId user = UserId.of("v1_random_" + i);
                randomBalances.put(user, v1.randomHistory(user, random));
            }
        }
        store = PostgresStore.open(new PostgresSettings(url, "postgres", "", 4, Duration.ofSeconds(10), Duration.ofSeconds(10)));
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

    @Test
    void eachV1GrantBecomesAPromotionalLotHoldingWhatTheReplayedBurnDownLeaves() {
        LotPage lots = store.credits().lots(SCRIPTED, new LotPage.Query(true, Optional.empty(), 10), T0.plusSeconds(3600));

        assertThat(lots.lots().stream().map(lot -> lot.id()).toList(), contains(scripted.get("g1"), scripted.get("g2")));
        assertThat(lots.lots().get(0).remaining(), is(Usdc.ofUnits(0)));
        assertThat(lots.lots().get(1).remaining(), is(Usdc.ofUnits(2)));
        assertThat(lots.lots().get(0).terms(), is(LotTerms.DEFAULT_GRANT));
        assertThat(store.credits().find(SCRIPTED, T0.plusSeconds(3600)).orElseThrow().balance(), is(Usdc.ofUnits(2)));
    }

    @Test
    void migratedDeductionsAndRefundsListTheLotsTheyDrewFromAndGaveBackTo() {
        Map<EntryId, LedgerEntry> entries = new HashMap<>();
        store.credits().history(SCRIPTED, Optional.empty(), 50, T0.plusSeconds(3600)).entries()
                .forEach(entry -> entries.put(entry.id(), entry));
        EntryId g1 = scripted.get("g1");
        EntryId g2 = scripted.get("g2");

        assertThat(entries.get(scripted.get("d1")).drawnFrom(), contains(draw(g1, 10), draw(g2, 2)));
        assertThat(entries.get(scripted.get("r1")).drawnFrom(), contains(draw(g2, 2), draw(g1, 1)));
        assertThat(entries.get(scripted.get("d2")).drawnFrom(), contains(draw(g1, 1), draw(g2, 3)));
        assertThat(entries.get(g1).grantId(), is(Optional.of(g1)));
        assertThat(entries.get(g1).lot(), is(Optional.of(LotTerms.DEFAULT_GRANT)));
    }

    @Test
    void aRefundAfterTheMigrationGoesBackIntoTheLotsItsV1DeductionDrewFrom() {
        MoveOutcome outcome = store.credits().refund(new Refund(new EntryId(UUID.randomUUID()), refundedLater.get("d2"),
                Optional.empty(), "after the upgrade", new Idempotency(UserId.of("admin"), Operation.REFUND,
                new IdempotencyKey("after-upgrade"), "c".repeat(64)), T0.plusSeconds(7200)));

        assertThat(((MoveOutcome.Applied) outcome).entry().drawnFrom(),
                contains(draw(refundedLater.get("g2"), 3), draw(refundedLater.get("g1"), 1)));
        assertThat(store.credits().find(REFUNDED_LATER, T0.plusSeconds(7200)).orElseThrow().balance(), is(Usdc.ofUnits(6)));
    }

    @Test
    void everyMigratedUserHoldsItsWholeBalanceInItsLots() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement lots = connection.prepareStatement(
                     "SELECT COALESCE(sum(remaining_units), 0) FROM lots WHERE user_id = ?")) {
            for (Map.Entry<UserId, Long> user : randomBalances.entrySet()) {
                lots.setString(1, user.getKey().value());
                try (ResultSet rows = lots.executeQuery()) {
                    rows.next();
                    assertThat(user.getKey() + "'s lots", rows.getLong(1), is(user.getValue()));
                }
            }
        }
    }

    @Test
    void aV1KeyStillReplaysOnceKeysAreScopedByOperation() {
        Deduction resent = new Deduction(new EntryId(UUID.randomUUID()), SCRIPTED, Usdc.ofUnits(12), Optional.empty(),
                new Idempotency(UserId.of("v1"), Operation.DEDUCTION, new IdempotencyKey("key-" + scripted.get("d1")), "e".repeat(64)),
                T0.plusSeconds(7200));

        MoveOutcome outcome = store.credits().deduct(resent);

        assertThat(outcome, instanceOf(MoveOutcome.Replayed.class));
        assertThat(((MoveOutcome.Replayed) outcome).entry().id(), is(scripted.get("d1")));
        assertThat(store.credits().find(SCRIPTED, T0.plusSeconds(7200)).orElseThrow().balance(), is(Usdc.ofUnits(2)));
    }

    @Test
    void aMigratedUserHasNoThresholdNorOutstandingLowAndCrossesOneSetAfterTheMigrationOnce() throws SQLException {
        UserId user = randomBalances.entrySet().stream().filter(entry -> entry.getValue() >= 2).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        long balance = randomBalances.get(user);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT low_balance_units IS NULL AND NOT low_alerted FROM credits WHERE user_id = ?")) {
            statement.setString(1, user.value());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                assertThat("V13 gives every existing credit no threshold and no outstanding low", rows.getBoolean(1), is(true));
            }
        }
        assertThat(store.credits().lowBalanceThreshold(user), is(Optional.empty()));
        WebhookEndpoint endpoint = new WebhookEndpoint(EndpointId.random(), URI.create("http://127.0.0.1:9/hooks"),
                EnumSet.of(CreditEventType.BALANCE_LOW), Optional.empty(), WebhookSecret.random(), T0);
        store.webhooks().createEndpoint(endpoint);
        store.credits().setLowBalanceThreshold(user, Optional.of(Usdc.ofUnits(balance)), T0.plusSeconds(7200));

        for (int i = 0; i < 2; i++) {
            Deduction below = new Deduction(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(1), Optional.empty(),
                    new Idempotency(UserId.of("meter"), Operation.DEDUCTION, new IdempotencyKey("after-v13-" + UUID.randomUUID()),
                            "f".repeat(64)), T0.plusSeconds(7200));
            assertThat(store.credits().deduct(below), instanceOf(MoveOutcome.Applied.class));
        }
        randomBalances.put(user, balance - 2); // what everyMigratedUserHoldsItsWholeBalanceInItsLots expects from now on

        assertThat(store.webhooks().deliveries(endpoint.id(), Optional.empty(), 10).orElseThrow().deliveries().stream()
                .map(Delivery::type).toList(), contains(CreditEventType.BALANCE_LOW));
    }

    @Test
    void everyMigratedEntryIsChainedInLedgerOrderAndEachCreditKeepsItsLastHash() throws SQLException {
        for (UserId user : randomBalances.keySet()) {
            List<LedgerEntry> oldestFirst = new ArrayList<>(
                    store.credits().history(user, Optional.empty(), 200, T0.plusSeconds(3600)).entries()).reversed();
            String previous = LedgerHash.GENESIS;
            for (LedgerEntry entry : oldestFirst) {
                assertThat(user + "'s " + entry.type(), entry.hash(), is(Optional.of(LedgerHash.of(previous, entry))));
                previous = entry.hash().orElseThrow();
            }
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 PreparedStatement head = connection.prepareStatement("SELECT last_hash FROM credits WHERE user_id = ?")) {
                head.setString(1, user.value());
                try (ResultSet rows = head.executeQuery()) {
                    rows.next();
                    assertThat(user + "'s chain head", rows.getString(1), is(previous));
                }
            }
        }
    }

    private static Draw draw(EntryId lot, long units) {
        return new Draw(lot, Usdc.ofUnits(units));
    }

    /** Rows exactly as the v1 statements wrote them: a balance row, entries with balance_after, refund bookkeeping. */
    private static final class V1Ledger {
        private final Connection connection;
        private final Map<UserId, Long> balances = new HashMap<>();
        private long tick;

        V1Ledger(Connection connection) {
            this.connection = connection;
        }

        EntryId grant(UserId user, long units) throws SQLException {
            if (!balances.containsKey(user)) {
                execute("INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at) VALUES (?, 0, 0, ?, ?)",
                        user.value(), at(), at());
                balances.put(user, 0L);
            }
            return entry(user, EntryType.GRANT, units, null);
        }

        EntryId deduct(UserId user, long units) throws SQLException {
            return entry(user, EntryType.DEDUCTION, units, null);
        }

        EntryId refund(UserId user, EntryId deduction, long units) throws SQLException {
            execute("INSERT INTO deduction_refunds (deduction_id, user_id, amount_units, refunded_units)"
                    + " SELECT id, user_id, amount_units, 0 FROM ledger_entries WHERE id = ? ON CONFLICT DO NOTHING",
                    deduction.value());
            execute("UPDATE deduction_refunds SET refunded_units = refunded_units + ? WHERE deduction_id = ?",
                    units, deduction.value());
            return entry(user, EntryType.REFUND, units, deduction);
        }

        /** g1 10, g2 5; d1 12 takes g1 10 + g2 2; r1 gives 3 back, g2 2 then g1 1; d2 4 takes g1 1 + g2 3. */
        void scriptedHistory(UserId user, Map<String, EntryId> ids) throws SQLException {
            ids.put("g1", grant(user, 10));
            ids.put("g2", grant(user, 5));
            ids.put("d1", deduct(user, 12));
            ids.put("r1", refund(user, ids.get("d1"), 3));
            ids.put("d2", deduct(user, 4));
        }

        /** Grants, deductions within the balance and partial refunds, in a random order; the final balance. */
        long randomHistory(UserId user, SplittableRandom random) throws SQLException {
            grant(user, 1 + random.nextInt(100));
            List<EntryId> deductions = new ArrayList<>();
            Map<EntryId, Long> refundable = new HashMap<>();
            for (int move = 0; move < 30; move++) {
                long balance = balances.get(user);
                int kind = random.nextInt(4);
                if (kind == 0) {
                    grant(user, 1 + random.nextInt(100));
                } else if (kind < 3 && balance > 0) {
                    long units = 1 + random.nextLong(balance);
                    EntryId deduction = deduct(user, units);
                    deductions.add(deduction);
                    refundable.put(deduction, units);
                } else if (!deductions.isEmpty()) {
                    EntryId deduction = deductions.get(random.nextInt(deductions.size()));
                    long rest = refundable.get(deduction);
                    if (rest > 0) {
                        long units = 1 + random.nextLong(rest);
                        refund(user, deduction, units);
                        refundable.put(deduction, rest - units);
                    }
                }
            }
            return balances.get(user);
        }

        private EntryId entry(UserId user, EntryType type, long units, EntryId deduction) throws SQLException {
            long after = balances.get(user) + type.sign() * units;
            balances.put(user, after);
            EntryId id = new EntryId(UUID.randomUUID());
            Timestamp at = at();
            execute("UPDATE credits SET balance_units = ?, updated_at = ? WHERE user_id = ?", after, at, user.value());
            execute("INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, deduction_id,"
                            + " caller, idempotency_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?, 'v1', ?, ?, ?)",
                    id.value(), user.value(), type.code(), units, after, deduction == null ? null : deduction.value(),
                    "key-" + id, "e".repeat(64), at);
            return id;
        }

        private Timestamp at() {
            return Timestamp.from(T0.plusMillis(tick++));
        }

        private void execute(String sql, Object... values) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                statement.executeUpdate();
            }
        }
    }
}
