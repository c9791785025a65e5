package credits.adapters.persistence.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Idempotency;
import credits.domain.LedgerEntry;
import credits.domain.MoneyMove;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.StorageUnavailableException;
import credits.domain.UserId;
import credits.domain.Usdc;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * {@link CreditsPort} on PostgreSQL through Helidon DbClient. It translates between rows and
 * domain values; the invariants (balance never negative, one effect per idempotency identity,
 * refunds within their deduction) are enforced by single conditional statements, row locks and
 * the constraints of the migrations, never by reading a balance into Java and writing it back.
 *
 * <p>Per user, ledger {@code seq} order is commit order: every move first updates (and so locks)
 * the user's {@code credits} row and only then inserts its entry, taking the next {@code seq}; a
 * later move of that user waits for the lock, so it cannot take a smaller {@code seq} and commit
 * after a reader has passed it. That is what makes history cursors exact while entries are added.
 *
 * <p>Portability: data-modifying CTEs ({@code WITH ... UPDATE ... RETURNING}) and
 * {@code ON CONFLICT} are PostgreSQL syntax that CockroachDB and YugabyteDB also accept. Engines
 * that run at SERIALIZABLE report conflicts as 40001, which is retried. The cursor argument above
 * rests on PostgreSQL's row locks and sequence; on a distributed engine it needs checking again
 * (identity values there need not follow commit order across nodes).
 */
final class PostgresCreditsAdapter implements CreditsPort {

    private static final String COLUMNS = "user_id, balance_units, held_units, created_at, updated_at";

    private static final Sql FIND = Sql.named("find-credit", "SELECT " + COLUMNS + " FROM credits WHERE user_id = :user_id");

    // DO UPDATE rather than DO NOTHING: under READ COMMITTED the loser of a race for a new user
    // then waits for the winner's row and gets it back from RETURNING, in the same statement. The
    // no-op SET leaves every value as the winner wrote it.
    private static final Sql CREATE = Sql.named("create-credit", "INSERT INTO credits (" + COLUMNS + ")"
            + " VALUES (:user_id, 0, 0, :now, :now)"
            + " ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id"
            + " RETURNING " + COLUMNS);

    // What a ledger row gives back; seq is the history position, never shown to clients as is.
    private static final String ENTRY_COLUMNS =
            "seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, created_at";

    private static final String INSERT_MOVE_COLUMNS = "id, user_id, type, amount_units, balance_after_units,"
            + " reference, reason, caller, idempotency_key, fingerprint, created_at";

    // The entry of a grant or deduction, built from the account row its CTE just changed, and its
    // time from that row too (see CHANGED_AT). Ids are sent as text (DbClient binds a UUID as
    // varchar), hence CAST(... AS uuid); the other CASTs give an absent reference or reason (an
    // untyped NULL) its column's type.
    private static final String INSERT_MOVE_ENTRY = " inserted AS (INSERT INTO ledger_entries (" + INSERT_MOVE_COLUMNS + ")"
            + " SELECT CAST(:id AS uuid), changed.user_id, :type, :amount, changed.balance_units,"
            + " CAST(:reference AS varchar(255)), CAST(:reason AS varchar(1000)), :caller, :key, :fingerprint, changed.updated_at"
            + " FROM changed"
            + " RETURNING " + ENTRY_COLUMNS + ")";

    // A move's time is the later of the caller's clock and the user's last change, taken under the
    // row lock the UPDATE holds: along one user's history times never run backwards, also when
    // instances' clocks differ (Credit.nextMoveTime is the same rule in Java).
    private static final String CHANGED_AT = "GREATEST(credits.updated_at, :at)";

    // An earlier entry under the same idempotency identity, read first: a replay of a committed
    // key then neither locks nor writes the account (and leaves no unique-violation error in the
    // server log). A twin still in flight is not seen here; the ledger's unique key catches it.
    private static final String EARLIER = "WITH earlier AS (SELECT " + ENTRY_COLUMNS + ", fingerprint FROM ledger_entries"
            + " WHERE caller = :caller AND type = :type AND idempotency_key = :key),";

    // The applied entry, or the earlier one with its fingerprint; no row when a deduction did not fit.
    private static final String APPLIED_OR_EARLIER = " SELECT true AS applied, " + ENTRY_COLUMNS + ", CAST(NULL AS char(64)) AS fingerprint"
            + " FROM inserted UNION ALL SELECT false, " + ENTRY_COLUMNS + ", fingerprint FROM earlier";

    // One statement, so balance and entry commit together. Opens the account when missing. No
    // ON CONFLICT on the ledger insert: a key committed by a twin after this statement's snapshot
    // must raise unique_violation, which undoes the whole statement (the balance change included)
    // and is then replayed.
    private static final Sql GRANT = Sql.named("grant", EARLIER
            + " changed AS (INSERT INTO credits (" + COLUMNS + ")"
            + " SELECT :user_id, :amount, 0, :at, :at WHERE NOT EXISTS (SELECT 1 FROM earlier)"
            + " ON CONFLICT (user_id) DO UPDATE"
            + " SET balance_units = credits.balance_units + EXCLUDED.balance_units, updated_at = " + CHANGED_AT
            + " RETURNING user_id, balance_units, updated_at),"
            + INSERT_MOVE_ENTRY
            + APPLIED_OR_EARLIER);

    // The condition in the UPDATE is the whole overdraft check: under concurrency PostgreSQL
    // re-evaluates it on the newest row version after waiting for the row lock. No row changed
    // means no entry and no effect.
    private static final Sql DEDUCT = Sql.named("deduct", EARLIER
            + " changed AS (UPDATE credits SET balance_units = balance_units - :amount, updated_at = " + CHANGED_AT
            + " WHERE user_id = :user_id AND balance_units - held_units >= :amount AND NOT EXISTS (SELECT 1 FROM earlier)"
            + " RETURNING user_id, balance_units, updated_at),"
            + INSERT_MOVE_ENTRY
            + APPLIED_OR_EARLIER);

    // A refused deduction is decided again under the user's row lock: every move of the user that
    // held it has committed by then, so "refused" and "key already used" are read on one state.
    private static final Sql LOCK_CREDIT = Sql.named("lock-credit", "SELECT " + COLUMNS + " FROM credits WHERE user_id = :user_id FOR UPDATE");

    private static final Sql FIND_BY_IDEMPOTENCY = Sql.named("find-by-idempotency-key", "SELECT " + ENTRY_COLUMNS + ", fingerprint FROM ledger_entries"
            + " WHERE caller = :caller AND type = :type AND idempotency_key = :key");

    // The refund bookkeeping row of a deduction appears at its first refund; a racing first
    // refund waits for the other's insert and then finds the row.
    private static final Sql OPEN_REFUNDS = Sql.named("open-refunds", "INSERT INTO deduction_refunds (deduction_id, user_id, amount_units, refunded_units)"
            + " SELECT id, user_id, amount_units, 0 FROM ledger_entries WHERE id = CAST(:deduction_id AS uuid) AND type = 'deduction'"
            + " ON CONFLICT (deduction_id) DO NOTHING");

    // Refunds of one deduction run one at a time behind this lock.
    private static final Sql LOCK_REFUNDS = Sql.named("lock-refunds", "SELECT user_id, amount_units, refunded_units FROM deduction_refunds"
            + " WHERE deduction_id = CAST(:deduction_id AS uuid) FOR UPDATE");

    // The CHECK on deduction_refunds refuses an over-refund even if the arithmetic here were wrong.
    private static final Sql ADD_REFUNDED = Sql.named("add-refunded", "UPDATE deduction_refunds SET refunded_units = refunded_units + :amount"
            + " WHERE deduction_id = CAST(:deduction_id AS uuid)");

    private static final Sql CREDIT_REFUND = Sql.named("credit-refund", "WITH changed AS ("
            + " UPDATE credits SET balance_units = balance_units + :amount, updated_at = " + CHANGED_AT + " WHERE user_id = :user_id"
            + " RETURNING user_id, balance_units, updated_at)"
            + " INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reason, deduction_id,"
            + " caller, idempotency_key, fingerprint, created_at)"
            + " SELECT CAST(:id AS uuid), changed.user_id, 'refund', :amount, changed.balance_units, :reason,"
            + " CAST(:deduction_id AS uuid),"
            + " :caller, :key, :fingerprint, changed.updated_at FROM changed"
            + " RETURNING " + ENTRY_COLUMNS);

    // seq < :before with before = Long.MAX_VALUE for the first page keeps this one statement.
    private static final Sql HISTORY = Sql.named("history", "SELECT " + ENTRY_COLUMNS + " FROM ledger_entries"
            + " WHERE user_id = :user_id AND seq < :before ORDER BY seq DESC LIMIT :rows");

    // Transient failures (serialization, deadlock) leave nothing behind; a few quick retries
    // absorb them without making a caller wait long.
    private static final int MAX_ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 10;
    private final DbClient dbClient;
    private final PoolGate gate;
    private final Pauses pauses;

    PostgresCreditsAdapter(DbClient dbClient, PoolGate gate) {
        this(dbClient, gate, Pauses.NONE);
    }

    /** With {@code pauses}, a test holds a move at a chosen point to make a race happen on purpose. */
    PostgresCreditsAdapter(DbClient dbClient, PoolGate gate, Pauses pauses) {
        this.dbClient = Objects.requireNonNull(dbClient, "dbClient");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.pauses = Objects.requireNonNull(pauses, "pauses");
    }

    /** Points where a test may hold a move; production runs none. */
    interface Pauses {
        Pauses NONE = new Pauses() {
        };

        /** A deduction's single statement changed no row; its decision under the row lock comes next. */
        default void afterDeductionDidNotFit() {
        }
    }

    @Override
    public Credit getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        // Almost every call is for an existing user: one primary-key read, and no write (no row
        // lock, no dead tuple) unless the account is really missing. The insert is idempotent
        // (ON CONFLICT), so the whole call may run again after a broken connection.
        return guarded("getOrCreate", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> findOnce(userId)
                .orElseGet(() -> get(dbClient.execute(), CREATE, Map.of("user_id", userId.value(), "now", timestamp(now)))
                        .map(PostgresCreditsAdapter::toCredit)
                        .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row")))));
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return guarded("find", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> findOnce(userId)));
    }

    private Optional<Credit> findOnce(UserId userId) {
        return get(dbClient.execute(), FIND, Map.of("user_id", userId.value()))
                .map(PostgresCreditsAdapter::toCredit);
    }

    // Money moves are not repeated after a broken connection: the statement may have committed
    // before the connection broke. The caller gets 503 and its retry with the same idempotency key
    // either replays the committed move or applies it once.
    @Override
    public MoveOutcome grant(MoneyMove grant) {
        requireOperation(grant, EntryType.GRANT);
        return guarded("grant", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> applyMove(dbClient.execute(), GRANT, grant)
                .orElseThrow(() -> new IllegalStateException("a grant statement returned no entry"))));
    }

    @Override
    public MoveOutcome deduct(MoneyMove deduction) {
        requireOperation(deduction, EntryType.DEDUCTION);
        return guarded("deduct", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> {
            Optional<MoveOutcome> moved = applyMove(dbClient.execute(), DEDUCT, deduction);
            if (moved.isPresent()) {
                return moved.get();
            }
            pauses.afterDeductionDidNotFit();
            return inTransaction(tx -> deductUnderLock(tx, deduction));
        }));
    }

    /**
     * The slow path of a deduction the balance did not cover: with the user's row locked, every
     * earlier move of the user has committed, so the key and the balance are read on one state. A
     * twin with the same key that committed meanwhile is replayed; a grant that made room lets the
     * deduction apply; only what really does not fit is refused, with the figures it was refused on.
     */
    private MoveOutcome deductUnderLock(DbTransaction tx, MoneyMove deduction) {
        Optional<Credit> locked = get(tx, LOCK_CREDIT, Map.of("user_id", deduction.userId().value()))
                .map(PostgresCreditsAdapter::toCredit);
        Optional<MoveOutcome> earlier = earlier(tx, deduction.idempotency());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Usdc available = locked.map(Credit::available).orElse(Usdc.ZERO);
        if (available.isLessThan(deduction.amount())) {
            return new MoveOutcome.InsufficientBalance(available, deduction.amount());
        }
        return applyMove(tx, DEDUCT, deduction)
                .orElseThrow(() -> new IllegalStateException("a deduction that fits under the row lock changed no row"));
    }

    @Override
    public MoveOutcome refund(Refund refund) {
        Objects.requireNonNull(refund, "refund");
        return guarded("refund", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> {
            // A replay of a committed refund is answered from the ledger, without taking any lock.
            Optional<MoveOutcome> earlier = earlier(dbClient.execute(), refund.idempotency());
            return earlier.isPresent() ? earlier.get() : inTransaction(tx -> refundIn(tx, refund));
        }));
    }

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", userId.value());
        params.put("before", after.map(HistoryCursor::position).orElse(Long.MAX_VALUE));
        // One row more than the page tells whether another page exists, without a count.
        params.put("rows", limit + 1L);
        List<Positioned> rows = guarded("history", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            try (Stream<DbRow> stream = query(dbClient.execute(), HISTORY, params)) {
                return stream.map(PostgresCreditsAdapter::toPositioned).toList();
            }
        }));
        List<Positioned> page = rows.subList(0, Math.min(limit, rows.size()));
        Optional<HistoryCursor> next = rows.size() > limit
                ? Optional.of(new HistoryCursor(page.get(page.size() - 1).seq()))
                : Optional.empty();
        return new HistoryPage(page.stream().map(Positioned::entry).toList(), next);
    }

    /**
     * Runs a grant or deduction statement. Empty when the statement changed no account (a
     * deduction the balance does not cover); otherwise what became of the move.
     */
    private Optional<MoveOutcome> applyMove(DbExecute execute, Sql statement, MoneyMove move) {
        Map<String, Object> params = idempotencyParams(move.idempotency());
        params.put("id", move.id().toString());
        params.put("user_id", move.userId().value());
        params.put("amount", move.amount().units());
        params.put("reference", move.reference().orElse(null));
        params.put("reason", move.reason().orElse(null));
        params.put("at", timestamp(move.at()));
        try {
            return get(execute, statement, params).map(row -> row.column("applied").get(Boolean.class)
                    ? new MoveOutcome.Applied(toPositioned(row).entry())
                    : replayOrReused(move.idempotency(), row));
        } catch (RuntimeException e) {
            if (SqlFailures.is(e, SqlFailures.UNIQUE_VIOLATION)) {
                return Optional.of(replayAfterConflict(move.idempotency(), e));
            }
            // The balance would pass bigint. A twin with this key may have committed meanwhile
            // (this statement's snapshot did not see it): then this is its replay.
            if (SqlFailures.is(e, SqlFailures.NUMERIC_OUT_OF_RANGE)) {
                return Optional.of(earlier(dbClient.execute(), move.idempotency())
                        .orElse(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE)));
            }
            throw e;
        }
    }

    /**
     * Runs {@code body} in one transaction, committed only when money moved; any other outcome
     * rolls back, so a refusal leaves nothing behind. A unique violation means a twin with the same
     * key committed first: answered as its replay, after the rollback.
     */
    private MoveOutcome inTransaction(Function<DbTransaction, MoveOutcome> body) {
        DbTransaction tx = dbClient.transaction();
        // Helidon's commit and rollback both end the transaction and close its connection, even when
        // they fail; only a failure before either was called needs a rollback here.
        boolean ended = false;
        try {
            MoveOutcome outcome = body.apply(tx);
            ended = true;
            if (outcome instanceof MoveOutcome.Applied) {
                tx.commit();
            } else {
                tx.rollback();
            }
            return outcome;
        } catch (RuntimeException e) {
            if (!ended) {
                rollbackAfter(tx, e);
            }
            throw e;
        }
    }

    private MoveOutcome refundIn(DbTransaction tx, Refund refund) {
        Map<String, Object> deduction = Map.of("deduction_id", refund.deductionId().toString());
        dml(tx, OPEN_REFUNDS, deduction);
        Optional<DbRow> locked = get(tx, LOCK_REFUNDS, deduction);
        // The key is looked up only now, behind the deduction's lock: a concurrent refund with the
        // same key has committed by then, so it is replayed instead of counted against the rest.
        Optional<MoveOutcome> earlier = earlier(tx, refund.idempotency());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (locked.isEmpty()) {
            return new MoveOutcome.DeductionNotFound();
        }
        DbRow row = locked.get();
        UserId userId = UserId.of(row.column("user_id").get(String.class));
        long rest = row.column("amount_units").get(Long.class) - row.column("refunded_units").get(Long.class);
        long amount = refund.amount().map(Usdc::units).orElse(rest);
        if (amount == 0 || amount > rest) {
            return new MoveOutcome.RefundExceedsDeduction(Usdc.ofUnits(rest));
        }
        Map<String, Object> params = idempotencyParams(refund.idempotency());
        params.put("id", refund.id().toString());
        params.put("deduction_id", refund.deductionId().toString());
        params.put("user_id", userId.value());
        params.put("amount", amount);
        params.put("reason", refund.reason());
        params.put("at", timestamp(refund.at()));
        dml(tx, ADD_REFUNDED, Map.of("amount", amount, "deduction_id", refund.deductionId().toString()));
        try {
            return get(tx, CREDIT_REFUND, params)
                    .map(entry -> (MoveOutcome) new MoveOutcome.Applied(toPositioned(entry).entry()))
                    .orElseThrow(() -> new IllegalStateException("the deduction's account is missing"));
        } catch (RuntimeException e) {
            // The transaction is rolled back for either outcome: nothing of this refund stays.
            if (SqlFailures.is(e, SqlFailures.NUMERIC_OUT_OF_RANGE)) {
                return new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE);
            }
            // The same key on a refund of another deduction, committed meanwhile.
            if (SqlFailures.is(e, SqlFailures.UNIQUE_VIOLATION)) {
                return replayAfterConflict(refund.idempotency(), e);
            }
            throw e;
        }
    }

    private static void rollbackAfter(DbTransaction tx, RuntimeException failure) {
        try {
            tx.rollback();
        } catch (RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    // The earlier entry's row with its fingerprint: the same request is replayed, another is refused.
    private static MoveOutcome replayOrReused(Idempotency idempotency, DbRow earlier) {
        return idempotency.fingerprint().equals(earlier.column("fingerprint").get(String.class))
                ? new MoveOutcome.Replayed(toPositioned(earlier).entry())
                : new MoveOutcome.KeyReused();
    }

    /**
     * What an earlier request with the same idempotency identity did: {@code Replayed} with its
     * entry when it was the same request, {@code KeyReused} when it was a different one.
     */
    private static Optional<MoveOutcome> earlier(DbExecute execute, Idempotency idempotency) {
        return get(execute, FIND_BY_IDEMPOTENCY, idempotencyParams(idempotency)).map(row -> replayOrReused(idempotency, row));
    }

    // A unique violation is committed history (PostgreSQL reports it only once the other
    // transaction committed), so the earlier entry is readable now. If it is not there, the
    // violation was of another key (an entry id used twice): a bug upstream, not a replay.
    private MoveOutcome replayAfterConflict(Idempotency idempotency, RuntimeException conflict) {
        return earlier(dbClient.execute(), idempotency).orElseThrow(() -> new IllegalStateException(
                "the ledger refused the entry as a duplicate, but no entry has its idempotency key"
                        + " (was an entry id used twice?)", conflict));
    }

    private static Optional<DbRow> get(DbExecute execute, Sql sql, Map<String, ?> values) {
        return execute.createNamedGet(sql.name(), sql.jdbc()).params(sql.bind(values)).execute();
    }

    private static Stream<DbRow> query(DbExecute execute, Sql sql, Map<String, ?> values) {
        return execute.createNamedQuery(sql.name(), sql.jdbc()).params(sql.bind(values)).execute();
    }

    private static long dml(DbExecute execute, Sql sql, Map<String, ?> values) {
        return execute.createNamedDmlStatement(sql.name(), sql.jdbc()).params(sql.bind(values)).execute();
    }

    /** Which failures an operation may simply be run again after. */
    private enum Repeat {
        /** Serialization failures and deadlocks: the engine rolled the attempt back, nothing was written. */
        ONLY_WHEN_ROLLED_BACK,
        /** Also a connection that broke under the statement: only for reads and idempotent writes. */
        ALSO_ON_BROKEN_CONNECTION
    }

    // Repeats the whole operation after a transient failure, a bounded number of times. When the
    // conflicts persist the database is too contended to answer now: 503 with Retry-After, like an
    // outage, and a retry with the same key is safe since nothing of the attempts was committed.
    private static <T> T retrying(Repeat repeat, Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                boolean rolledBack = SqlFailures.isTransient(e);
                boolean worthRepeating = rolledBack
                        || (repeat == Repeat.ALSO_ON_BROKEN_CONNECTION && SqlFailures.isBrokenConnection(e));
                if (!worthRepeating) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw rolledBack ? new StorageUnavailableException("the database kept refusing the transaction ("
                            + SqlFailures.sqlState(e).orElse("?") + ") after " + MAX_ATTEMPTS + " attempts", e) : e;
                }
                pauseBefore(attempt + 1, e);
            }
        }
    }

    /**
     * Runs one port operation and reports "the database cannot answer now" (no connection within
     * the pool timeout, a lost connection, the server shutting down, a statement timeout) as
     * {@link StorageUnavailableException}, which callers turn into 503 with Retry-After. Any other
     * failure passes through unchanged.
     */
    private <T> T guarded(String operation, Supplier<T> body) {
        try {
            return gate.through(body);
        } catch (RuntimeException e) {
            throw SqlFailures.asUnavailable(operation, e).map(RuntimeException.class::cast).orElse(e);
        }
    }

    // Jittered, growing pauses so that two victims of the same conflict do not collide again.
    private static void pauseBefore(int attempt, RuntimeException failure) {
        long millis = BACKOFF_MILLIS * (attempt - 1) + ThreadLocalRandom.current().nextLong(BACKOFF_MILLIS);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static void requireOperation(MoneyMove move, EntryType operation) {
        Objects.requireNonNull(move, "move");
        if (move.type() != operation) {
            throw new IllegalArgumentException("expected a " + operation.code() + " but got a " + move.type().code());
        }
    }

    // A HashMap, not Map.of: absent references and reasons are bound as SQL NULL.
    private static Map<String, Object> idempotencyParams(Idempotency idempotency) {
        Map<String, Object> params = new HashMap<>();
        params.put("caller", idempotency.caller().value());
        params.put("type", idempotency.operation().code());
        params.put("key", idempotency.key().value());
        params.put("fingerprint", idempotency.fingerprint());
        return params;
    }

    // The one place a credits row becomes a domain value.
    private static Credit toCredit(DbRow row) {
        return new Credit(
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("balance_units").get(Long.class)),
                Usdc.ofUnits(row.column("held_units").get(Long.class)),
                instant(row.column("created_at")),
                instant(row.column("updated_at")));
    }

    // The one place a ledger row becomes a domain value, with its history position.
    private static Positioned toPositioned(DbRow row) {
        return new Positioned(row.column("seq").get(Long.class), new LedgerEntry(
                new EntryId(row.column("id").get(UUID.class)),
                UserId.of(row.column("user_id").get(String.class)),
                EntryType.fromCode(row.column("type").get(String.class)),
                Usdc.ofUnits(row.column("amount_units").get(Long.class)),
                Usdc.ofUnits(row.column("balance_after_units").get(Long.class)),
                Optional.ofNullable(row.column("reference").get(String.class)),
                Optional.ofNullable(row.column("reason").get(String.class)),
                Optional.ofNullable(row.column("deduction_id").get(UUID.class)).map(EntryId::new),
                instant(row.column("created_at"))));
    }

    private record Positioned(long seq, LedgerEntry entry) {
    }

    // The PostgreSQL driver reads timestamptz as java.sql.Timestamp, which keeps the exact instant.
    private static Instant instant(DbColumn column) {
        return column.get(Timestamp.class).toInstant();
    }

    // The driver binds OffsetDateTime as timestamptz (it has no binding for Instant); UTC keeps the
    // stored instant independent of the JVM's time zone.
    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
