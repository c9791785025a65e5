package credits.adapters.persistence.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.concurrent.atomic.AtomicInteger;

import credits.adapters.persistence.CreditsPortContract;
import credits.domain.Operation;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.HoldRequest;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.StorageUnavailableException;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contract suite on a real PostgreSQL 18, plus what only a database can promise: the
 * constraints refuse broken accounts and ledger rows even when a statement bypasses the Java
 * code, and transient failures are retried without a second effect.
 */
class PostgresCreditsAdapterTest extends CreditsPortContract {

    private static final String CHECK_VIOLATION = "23514";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");
    private static final UserId ADMIN = UserId.of("admin_finance");
    private static final UserId METER = UserId.of("meter_gateway");

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        // More connections than racers, so the race tests overlap in the database, not in the pool.
        store = PostgresStore.open(new PostgresSettings(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "",
                40, Duration.ofSeconds(10), Duration.ofSeconds(10)));
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

    @Override
    protected CreditsPort port() {
        return store.credits();
    }

    @Override
    protected long accountRowCount(UserId userId) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM credits WHERE user_id = ?")) {
            count.setString(1, userId.value());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    // Straight in the tables: each balance is its signed ledger, and each deduction's refunded
    // total is the sum of its refund entries.
    @Override
    protected void assertStorageConsistent(List<UserId> users) {
        try {
            for (UserId user : users) {
                long balance = queryLong("SELECT balance_units FROM credits WHERE user_id = ?", user.value());
                long ledger = queryLong("SELECT coalesce(sum(CASE WHEN type IN ('deduction', 'expiry') THEN -amount_units"
                        + " WHEN type IN ('hold', 'hold_release') THEN 0 ELSE amount_units END), 0) FROM ledger_entries"
                        + " WHERE user_id = ?", user.value());
                assertThat("balance of " + user + " in the database", balance, is(ledger));
                long held = queryLong("SELECT held_units FROM credits WHERE user_id = ?", user.value());
                long activeHolds = queryLong("SELECT coalesce(sum(amount_units), 0) FROM holds WHERE user_id = ? AND status = 'active'",
                        user.value());
                long reserved = queryLong("SELECT coalesce(sum(reserved_units), 0) FROM lots WHERE user_id = ?", user.value());
                assertThat("held of " + user + " in the database", held, is(activeHolds));
                assertThat("reserved in the lots of " + user, reserved, is(held));
            }
            assertThat("deductions whose refunded total is not the sum of their refunds", queryLong("""
                    SELECT count(*) FROM deduction_refunds d
                    LEFT JOIN (SELECT deduction_id, sum(amount_units) AS total FROM ledger_entries
                               WHERE type = 'refund' GROUP BY deduction_id) r ON r.deduction_id = d.deduction_id
                    JOIN ledger_entries l ON l.id = d.deduction_id
                    WHERE d.refunded_units <> coalesce(r.total, 0) OR d.user_id <> l.user_id
                       OR d.amount_units <> l.amount_units"""), is(0L));
            assertThat("refunds of a deduction without refund bookkeeping", queryLong("""
                    SELECT count(*) FROM ledger_entries l WHERE type = 'refund'
                    AND NOT EXISTS (SELECT 1 FROM deduction_refunds d WHERE d.deduction_id = l.deduction_id)"""),
                    is(0L));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void databaseRefusesANegativeBalance() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET balance_units = -1 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_balance_not_negative"));
    }

    @Test
    void databaseRefusesAHoldLargerThanTheBalance() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET held_units = 101 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_held_within_balance"));
    }

    @Test
    void databaseRefusesANegativeHold() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET held_units = -1 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_held_not_negative"));
    }

    @Test
    void databaseRefusesASecondAccountForOneUser() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class, () -> update(
                "INSERT INTO credits (user_id, created_at, updated_at) VALUES (?, now(), now())", user));

        assertThat(refused.getSQLState(), is(UNIQUE_VIOLATION));
    }

    @Test
    void databaseRefusesAnEmptyUserId() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "INSERT INTO credits (user_id, created_at, updated_at) VALUES ('', now(), now())"));

            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
            assertThat(refused.getMessage(), containsString("credits_user_id_length"));
        }
    }

    @Test
    void storedTimesAreTheExactInstantsWhateverTheSessionTimeZone() throws SQLException {
        UserId user = freshUser();
        Instant now = Instant.parse("2024-01-15T10:30:00.123Z");
        port().getOrCreate(user, now);

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement setZone = connection.createStatement();
             PreparedStatement read = connection.prepareStatement(
                     "SELECT created_at = timestamptz '2024-01-15 10:30:00.123+00' FROM credits WHERE user_id = ?")) {
            setZone.execute("SET TIME ZONE 'Pacific/Chatham'");
            read.setString(1, user.value());
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                assertThat(rows.getBoolean(1), is(true));
            }
        }
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().createdAt(), is(now));
    }

    @Test
    void newAccountsStartWithZeroUnitsInTheDatabase() throws SQLException {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement read = connection.prepareStatement(
                     "SELECT balance_units, held_units FROM credits WHERE user_id = ?")) {
            read.setString(1, user.value());
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1), is(0L));
                assertThat(rows.getLong(2), is(0L));
            }
        }
    }

    @Test
    void databaseRefusesALotLeftBelowZeroOrAboveWhatItStartedWith() throws SQLException {
        UserId user = freshUser();
        EntryId lot = grant(user, 100);

        SQLException negative = assertThrows(SQLException.class,
                () -> execute("UPDATE lots SET remaining_units = -1 WHERE lot_id = ?", lot.value()));
        SQLException tooMuch = assertThrows(SQLException.class,
                () -> execute("UPDATE lots SET remaining_units = 101 WHERE lot_id = ?", lot.value()));

        assertThat(negative.getSQLState(), is(CHECK_VIOLATION));
        assertThat(negative.getMessage(), containsString("lots_remaining_within_original"));
        assertThat(tooMuch.getMessage(), containsString("lots_remaining_within_original"));
    }

    @Test
    void databaseRefusesACommitAfterWhichABalanceDiffersFromWhatItsLotsHold() throws SQLException {
        UserId user = freshUser();
        EntryId lot = grant(user, 100);

        SQLException lotAlone = assertThrows(SQLException.class,
                () -> execute("UPDATE lots SET remaining_units = 90 WHERE lot_id = ?", lot.value()));
        SQLException balanceAlone = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET balance_units = 90 WHERE user_id = ?", user));
        SQLException paidWrong = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET paid_units = 10 WHERE user_id = ?", user));
        SQLException withoutAnEntry = assertThrows(SQLException.class, () -> {
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement credit = connection.prepareStatement("UPDATE credits SET balance_units = 90 WHERE user_id = ?");
                     PreparedStatement lots = connection.prepareStatement("UPDATE lots SET remaining_units = 90 WHERE lot_id = ?")) {
                    credit.setString(1, user.value());
                    credit.executeUpdate();
                    lots.setObject(1, lot.value());
                    lots.executeUpdate();
                }
                connection.commit(); // lots and balance agree, but no entry took the 10
            }
        });
        deduct(user, 10); // the same change as a move writes it: accepted

        for (SQLException refused : List.of(lotAlone, balanceAlone, paidWrong)) {
            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
            assertThat(refused.getMessage(), containsString("differs from what its lots hold"));
        }
        assertThat(withoutAnEntry.getSQLState(), is(CHECK_VIOLATION));
        assertThat(withoutAnEntry.getMessage(), containsString("differs from the balance_after of its last entry"));
        assertThat(queryLong("SELECT remaining_units FROM lots WHERE lot_id = ?", lot.value()), is(90L));
    }

    @Test
    void databaseRefusesAHoldEndedTwiceOrChangedAfterItEnded() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);
        EntryId hold = placeHold(user, 40);
        appliedId(port().release(new Release(newId(), hold, new Idempotency(METER, Operation.RELEASE, freshKey(),
                TestQueries.digest("release " + hold)), AT)));

        SQLException reopened = assertThrows(SQLException.class,
                () -> execute("UPDATE holds SET status = 'active', resolved_at = NULL WHERE hold_id = ?", hold.value()));
        SQLException endedAgain = assertThrows(SQLException.class, () -> execute(
                "UPDATE holds SET status = 'expired' WHERE hold_id = ?", hold.value()));

        for (SQLException refused : List.of(reopened, endedAgain)) {
            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
            assertThat(refused.getMessage(), containsString("a hold that has ended does not change again"));
        }
    }

    @Test
    void databaseRefusesACommitAfterWhichWhatIsHeldDiffersFromTheActiveHoldsOrTheReservedLots() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);
        EntryId hold = placeHold(user, 40);

        SQLException heldAlone = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET held_units = 30 WHERE user_id = ?", user));
        SQLException holdEndedAlone = assertThrows(SQLException.class, () -> execute(
                "UPDATE holds SET status = 'released', resolved_at = now() WHERE hold_id = ?", hold.value()));
        SQLException reservationAlone = assertThrows(SQLException.class,
                () -> update("UPDATE lots SET reserved_units = 0 WHERE user_id = ?", user));

        for (SQLException refused : List.of(heldAlone, holdEndedAlone, reservationAlone)) {
            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        }
        assertThat(port().hold(hold, AT).orElseThrow().status(), is(credits.domain.HoldStatus.ACTIVE));
        assertThat(queryLong("SELECT held_units FROM credits WHERE user_id = ?", user.value()), is(40L));
    }

    private EntryId placeHold(UserId user, long units) {
        return appliedId(port().placeHold(new HoldRequest(newId(), user, Usdc.ofUnits(units), Optional.empty(),
                HoldRequest.DEFAULT_EXPIRY, 1000, new Idempotency(METER, Operation.HOLD, freshKey(), TestQueries.digest("hold " + user + units)), AT)));
    }

    @Test
    void databaseRefusesAnEntryWhoseBalanceAfterDoesNotFollowFromThePreviousOne() {
        UserId user = freshUser();
        EntryId grant = grant(user, 100);

        SQLException refused = assertThrows(SQLException.class, () -> execute("""
                INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reason, grant_id, category,
                                            priority, caller, operation, idempotency_key, fingerprint, created_at, hash)
                SELECT gen_random_uuid(), user_id, 'grant', 5, 106, 'off by one', NULL, 'promotional', 50, caller, operation,
                       idempotency_key || '-copy', fingerprint, created_at, hash
                FROM ledger_entries WHERE id = ?""", grant.value()));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("does not follow from the previous entry"));
    }

    @Test
    void databaseRefusesToUpdateDeleteOrTruncateLedgerEntriesWhoeverAsks() throws SQLException {
        UserId user = freshUser();
        EntryId grant = grant(user, 100);

        // The test connects as a superuser: the guard holds for it too, short of switching the trigger off.
        SQLException updated = assertThrows(SQLException.class,
                () -> execute("UPDATE ledger_entries SET amount_units = 1000 WHERE id = ?", grant.value()));
        SQLException deleted = assertThrows(SQLException.class,
                () -> execute("DELETE FROM ledger_entries WHERE id = ?", grant.value()));
        SQLException truncated = assertThrows(SQLException.class, () -> execute("TRUNCATE ledger_entries CASCADE"));

        for (SQLException refused : List.of(updated, deleted, truncated)) {
            assertThat(refused.getMessage(), containsString("ledger entries are append-only"));
        }
        assertThat(queryLong("SELECT amount_units FROM ledger_entries WHERE id = ?", grant.value()), is(100L));
    }

    private static void update(String sql, UserId user) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, user.value());
            statement.executeUpdate();
        }
    }

    @Test
    void databaseRefusesAnOverRefund() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);
        EntryId deduction = deduct(user, 30);
        refund(deduction, 10);

        SQLException refused = assertThrows(SQLException.class, () -> execute(
                "UPDATE deduction_refunds SET refunded_units = amount_units + 1 WHERE deduction_id = ?", deduction.value()));
        SQLException negative = assertThrows(SQLException.class, () -> execute(
                "UPDATE deduction_refunds SET refunded_units = -1 WHERE deduction_id = ?", deduction.value()));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("deduction_refunds_within_deduction"));
        assertThat(negative.getSQLState(), is(CHECK_VIOLATION));
        assertThat(queryLong("SELECT refunded_units FROM deduction_refunds WHERE deduction_id = ?", deduction.value()), is(10L));
    }

    @Test
    void databaseRefusesASecondEntryForOneIdempotencyIdentity() {
        UserId user = freshUser();
        EntryId grant = grant(user, 100);

        SQLException refused = assertThrows(SQLException.class, () -> execute(
                copyOfEntry("amount_units", "idempotency_key", "deduction_id"), grant.value()));

        assertThat(refused.getSQLState(), is(UNIQUE_VIOLATION));
        assertThat(refused.getMessage(), containsString("ledger_entries_idempotency_unique"));
    }

    @Test
    void databaseRefusesALedgerAmountThatIsNotPositive() {
        UserId user = freshUser();
        EntryId grant = grant(user, 100);

        for (String amount : new String[] {"0", "-5"}) {
            SQLException refused = assertThrows(SQLException.class, () -> execute(
                    copyOfEntry(amount, "idempotency_key || '-copy'", "deduction_id"), grant.value()));

            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
            assertThat(refused.getMessage(), containsString("ledger_entries_amount_positive"));
        }
    }

    @Test
    void databaseRefusesARefundWithoutItsDeductionAndADeductionIdOnAnythingElse() {
        UserId user = freshUser();
        EntryId grant = grant(user, 100);

        SQLException refundWithout = assertThrows(SQLException.class, () -> execute(
                copyOfEntry("amount_units", "idempotency_key", "deduction_id").replace("SELECT fresh.id, user_id, type",
                        "SELECT fresh.id, user_id, 'refund'"), grant.value()));
        SQLException grantWith = assertThrows(SQLException.class, () -> execute(
                copyOfEntry("amount_units", "idempotency_key || '-copy'", "e.id"), grant.value()));

        assertThat(refundWithout.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refundWithout.getMessage(), containsString("ledger_entries_deduction_only_on_refunds"));
        assertThat(grantWith.getSQLState(), is(CHECK_VIOLATION));
        assertThat(grantWith.getMessage(), containsString("ledger_entries_deduction_only_on_refunds"));
    }

    @Test
    void moneyIsStoredAsExactIntegerUnits() throws SQLException {
        UserId user = freshUser();
        grant(user, 3);
        EntryId deduction = deduct(user, 1);

        assertThat(queryLong("SELECT amount_units FROM ledger_entries WHERE id = ?", deduction.value()), is(1L));
        assertThat(queryLong("SELECT balance_after_units FROM ledger_entries WHERE id = ?", deduction.value()), is(2L));
    }

    @Test
    void aRefusedDeductionLeavesTheAccountRowUntouched() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);
        long before = queryLong("SELECT xmin::text::bigint FROM credits WHERE user_id = ?", user.value());

        MoveOutcome refused = port().deduct(deductionMove(user, 101, freshKey()));

        assertThat(refused, instanceOf(MoveOutcome.InsufficientBalance.class));
        assertThat("no new row version", queryLong("SELECT xmin::text::bigint FROM credits WHERE user_id = ?",
                user.value()), is(before));
    }

    @Test
    void aDeadlockVictimIsRetriedAndMovesMoneyOnce() throws SQLException {
        UserId user = freshUser();
        try (AutoCloseable failing = failLedgerInserts(user, 2)) {
            MoveOutcome outcome = port().grant(grantMove(user, 100, freshKey()));

            assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(100)));
        assertThat(queryLong("SELECT count(*) FROM ledger_entries WHERE user_id = ?", user.value()), is(1L));
    }

    @Test
    void aRefundThatLosesADeadlockIsRetriedAndRefundsOnce() throws SQLException {
        UserId user = freshUser();
        grant(user, 100);
        EntryId deduction = deduct(user, 40);
        try (AutoCloseable failing = failLedgerInserts(user, 2)) {
            MoveOutcome outcome = port().refund(refundMove(deduction, 25));

            assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ofUnits(85)));
        assertThat(queryLong("SELECT refunded_units FROM deduction_refunds WHERE deduction_id = ?", deduction.value()), is(25L));
    }

    @Test
    void retriesAreBoundedAndAFailureThatPersistsWritesNothing() throws SQLException {
        UserId user = freshUser();
        try (AutoCloseable failing = failLedgerInserts(user, 1_000)) {
            RuntimeException failure = assertThrows(RuntimeException.class,
                    () -> port().grant(grantMove(user, 100, freshKey())));

            assertThat("answered as unavailable (503), not as a bug (500)", failure,
                    instanceOf(StorageUnavailableException.class));
            assertThat(sqlState(failure), is(DEADLOCK_DETECTED));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")), is(Optional.empty()));
        assertThat(queryLong("SELECT count(*) FROM ledger_entries WHERE user_id = ?", user.value()), is(0L));
    }

    @Test
    void aTwinThatCommitsWhileADeductionIsRefusedIsReplayedNotRefused() throws Exception {
        UserId user = freshUser();
        grant(user, 3);
        IdempotencyKey key = freshKey();
        List<MoveOutcome> original = new ArrayList<>();

        // While the retry stands refused, a grant makes room and the original request commits.
        MoveOutcome retry = deductionHeldAfterItsRefusal(deductionMove(user, 5, key), () -> {
            grant(user, 2);
            original.add(port().deduct(deductionMove(user, 5, key)));
        });

        assertThat(original.getFirst(), instanceOf(MoveOutcome.Applied.class));
        assertThat(retry, is(new MoveOutcome.Replayed(((MoveOutcome.Applied) original.getFirst()).entry())));
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ZERO));
    }

    @Test
    void aDeductionRefusedOnceAppliesWhenAGrantMadeRoomBeforeItsDecision() throws Exception {
        UserId user = freshUser();
        grant(user, 3);

        MoveOutcome deduction = deductionHeldAfterItsRefusal(deductionMove(user, 5, freshKey()), () -> grant(user, 2));

        assertThat(deduction, instanceOf(MoveOutcome.Applied.class));
        assertThat(port().find(user, java.time.Instant.parse("2100-01-01T00:00:00Z")).orElseThrow().balance(), is(Usdc.ZERO));
    }

    @Test
    void aRefusalStatesTheFiguresItWasDecidedOn() throws Exception {
        UserId user = freshUser();
        grant(user, 3);

        MoveOutcome deduction = deductionHeldAfterItsRefusal(deductionMove(user, 10, freshKey()), () -> grant(user, 2));

        assertThat(deduction, is(new MoveOutcome.InsufficientBalance(Usdc.ofUnits(5), Usdc.ofUnits(10))));
    }

    @Test
    void replayingACommittedDeductionNeitherLocksNorWritesTheAccount() throws Exception {
        UserId user = freshUser();
        grant(user, 100);
        IdempotencyKey key = freshKey();
        MoveOutcome original = port().deduct(deductionMove(user, 40, key));
        long before = queryLong("SELECT xmin::text::bigint FROM credits WHERE user_id = ?", user.value());

        try (Connection locker = postgres.getPostgresDatabase().getConnection()) {
            // Another transaction holds the account's row lock; a replay must not wait for it.
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT 1 FROM credits WHERE user_id = ? FOR UPDATE")) {
                lock.setString(1, user.value());
                lock.executeQuery().close();
            }
            try (ExecutorService replaying = Executors.newSingleThreadExecutor()) {
                Future<MoveOutcome> replay = replaying.submit(() -> port().deduct(deductionMove(user, 40, key)));

                assertThat(replay.get(5, TimeUnit.SECONDS),
                        is(new MoveOutcome.Replayed(((MoveOutcome.Applied) original).entry())));
            } finally {
                locker.rollback();
            }
        }
        assertThat("no new row version", queryLong("SELECT xmin::text::bigint FROM credits WHERE user_id = ?",
                user.value()), is(before));
    }

    @Test
    void databaseErrorsKeepRowValuesOutOfTheirMessages() {
        UserId user = freshUser();
        port().getOrCreate(user, AT);

        RuntimeException refused = assertThrows(RuntimeException.class, () -> store.dbClient().execute()
                .insert("INSERT INTO credits (user_id, created_at, updated_at) VALUES (?, now(), now())", user.value()));

        assertThat(sqlState(refused), is(UNIQUE_VIOLATION));
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage()), not(containsString(user.value())));
        }
    }

    @Test
    void uncontendedGrantsTopUpsAndDeductionsAreWrittenByTheirOneStatementWithoutTakingTheLock() {
        AtomicInteger underLock = new AtomicInteger();
        PostgresCreditsAdapter counting = new PostgresCreditsAdapter(store.dbClient(), new PoolGate(40, Duration.ofSeconds(10)),
                new PostgresCreditsAdapter.Pauses() {
                    @Override
                    public void beforeDecidingUnderLock() {
                        underLock.incrementAndGet();
                    }
                }, Optional.empty());
        UserId user = freshUser();
        grant(user, 100); // opens the credit: the one move that needs the lock

        appliedId(counting.grant(grantMove(user, 5, freshKey())));
        for (int i = 0; i < 5; i++) {
            appliedId(counting.deduct(deductionMove(user, 3, freshKey())));
        }

        assertThat(underLock.get(), is(0));
        assertThat(port().find(user, AT).orElseThrow().balance(), is(Usdc.ofUnits(90)));
    }

    /**
     * Runs the deduction on the shared pool, holds it between its single statement (which found it
     * did not fit) and its decision under the row lock, runs {@code meanwhile}, then lets it decide.
     */
    private static MoveOutcome deductionHeldAfterItsRefusal(Deduction deduction, Runnable meanwhile) throws Exception {
        CountDownLatch refused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        PostgresCreditsAdapter paused = new PostgresCreditsAdapter(store.dbClient(), new PoolGate(40, Duration.ofSeconds(10)),
                new PostgresCreditsAdapter.Pauses() {
                    @Override
                    public void beforeDecidingUnderLock() {
                        refused.countDown();
                        await(resume);
                    }
                }, Optional.empty());
        try (ExecutorService first = Executors.newSingleThreadExecutor()) {
            Future<MoveOutcome> outcome = first.submit(() -> paused.deduct(deduction));
            await(refused);
            meanwhile.run();
            resume.countDown();
            return outcome.get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat("latch released in time", latch.await(30, TimeUnit.SECONDS), is(true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // Makes the next `failures` ledger inserts for this user fail as deadlock victims. The count
    // lives in a sequence because nextval survives the rollback of the failing statement.
    private static AutoCloseable failLedgerInserts(UserId user, int failures) throws SQLException {
        String name = "fail_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SEQUENCE " + name);
            statement.execute("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.user_id = '" + user.value() + "' AND nextval('" + name + "') <= " + failures + " THEN"
                    + " RAISE EXCEPTION 'injected' USING ERRCODE = 'deadlock_detected'; END IF;"
                    + " RETURN NEW; END $$");
            statement.execute("CREATE TRIGGER " + name + " BEFORE INSERT ON ledger_entries"
                    + " FOR EACH ROW EXECUTE FUNCTION " + name + "()");
        }
        return () -> {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER " + name + " ON ledger_entries");
                statement.execute("DROP FUNCTION " + name + "()");
                statement.execute("DROP SEQUENCE " + name);
            }
        };
    }

    // An INSERT copying one ledger row under a new id, with three columns replaced by expressions.
    private static String copyOfEntry(String amount, String key, String deductionId) {
        // A copy under a new id: a grant's copy is its own lot (grant_id = its id), and its
        // balance_after follows the user's last entry, so only the constraint a test aims at can refuse it.
        return "WITH fresh AS (SELECT gen_random_uuid() AS id)"
                + " INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason,"
                + " deduction_id, grant_id, drawn_lot_ids, drawn_units, category, priority, expires_at, payment_reference, memo,"
                + " caller, idempotency_key, fingerprint, created_at, hold_id, operation, hash)"
                + " SELECT fresh.id, user_id, type, " + amount + ", (SELECT p.balance_after_units FROM ledger_entries p"
                + " WHERE p.user_id = e.user_id ORDER BY p.seq DESC LIMIT 1) + CASE WHEN type IN ('deduction', 'expiry') THEN -("
                + amount + ") WHEN type IN ('hold', 'hold_release') THEN 0 ELSE " + amount + " END, reference, reason, "
                + deductionId + ", CASE WHEN type IN ('grant', 'topup') THEN fresh.id ELSE grant_id END, drawn_lot_ids,"
                + " drawn_units, category, priority, expires_at, payment_reference, memo, caller, " + key
                + ", fingerprint, created_at, hold_id, operation, hash FROM ledger_entries e, fresh WHERE e.id = ?";
    }

    private EntryId grant(UserId user, long units) {
        return appliedId(port().grant(grantMove(user, units, freshKey())));
    }

    private EntryId deduct(UserId user, long units) {
        return appliedId(port().deduct(deductionMove(user, units, freshKey())));
    }

    private EntryId refund(EntryId deduction, long units) {
        return appliedId(port().refund(refundMove(deduction, units)));
    }

    private static Grant grantMove(UserId user, long units, IdempotencyKey key) {
        return new Grant(newId(), user, Usdc.ofUnits(units), credits.domain.LotTerms.DEFAULT_GRANT, Optional.empty(),
                new Idempotency(ADMIN, Operation.GRANT, key, TestQueries.digest("grant " + user + " " + units)), AT);
    }

    private static Deduction deductionMove(UserId user, long units, IdempotencyKey key) {
        return new Deduction(newId(), user, Usdc.ofUnits(units), Optional.empty(),
                new Idempotency(METER, Operation.DEDUCTION, key, TestQueries.digest("deduction " + user + " " + units)), AT);
    }

    private static Refund refundMove(EntryId deduction, long units) {
        return new Refund(newId(), deduction, Optional.of(Usdc.ofUnits(units)), "bad charge",
                new Idempotency(ADMIN, Operation.REFUND, freshKey(), TestQueries.digest("refund " + deduction + " " + units)), AT);
    }

    private static EntryId appliedId(MoveOutcome outcome) {
        assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        LedgerEntry entry = ((MoveOutcome.Applied) outcome).entry();
        return entry.id();
    }

    private static EntryId newId() {
        return new EntryId(UUID.randomUUID());
    }

    private static IdempotencyKey freshKey() {
        return new IdempotencyKey("pg-" + UUID.randomUUID());
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "no SQLException in " + failure;
    }

    private static void execute(String sql, Object... params) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long queryLong(String sql, Object... params) throws SQLException {
        return TestQueries.queryLong(postgres.getPostgresDatabase(), sql, params);
    }
}
