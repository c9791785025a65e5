package credits.adapters.persistence.postgres;

import static credits.adapters.persistence.postgres.LedgerSql.ADD_REFUNDED;
import static credits.adapters.persistence.postgres.LedgerSql.CREATE_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.CREDIT_REFUND;
import static credits.adapters.persistence.postgres.LedgerSql.DEDUCT;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_BY_IDEMPOTENCY;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.GRANT;
import static credits.adapters.persistence.postgres.LedgerSql.HISTORY;
import static credits.adapters.persistence.postgres.LedgerSql.LOCK_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.LOCK_REFUNDS;
import static credits.adapters.persistence.postgres.LedgerSql.OPEN_REFUNDS;
import static credits.adapters.persistence.postgres.Retries.retrying;
import static credits.adapters.persistence.postgres.Rows.idempotencyParams;
import static credits.adapters.persistence.postgres.Rows.timestamp;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import credits.adapters.persistence.postgres.Retries.Repeat;
import credits.adapters.persistence.postgres.Rows.Positioned;
import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.UserId;
import credits.domain.Usdc;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * {@link CreditsPort} on PostgreSQL through Helidon DbClient: runs the statements of
 * {@link LedgerSql}, maps rows through {@link Rows}, and leaves the decisions to the domain
 * (replay or reused key, what a refund may give back, whether the balance covers a deduction).
 * The invariants themselves are held by single conditional statements, row locks and the
 * migrations' constraints.
 *
 * <p>Per user, ledger {@code seq} order is commit order: every move first updates (and so locks)
 * the user's {@code credits} row and only then inserts its entry, taking the next {@code seq}; a
 * later move of that user waits for the lock, so it cannot take a smaller {@code seq} and commit
 * after a reader has passed it. That is what makes history cursors exact while entries are added.
 * On a distributed engine that argument needs checking again (identity values there need not
 * follow commit order across nodes).
 */
final class PostgresCreditsAdapter implements CreditsPort {

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
        // lock, no dead tuple) unless the credit row is really missing. The insert is idempotent
        // (ON CONFLICT), so the whole call may run again after a broken connection.
        return guarded("getOrCreate", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> findOnce(userId)
                .orElseGet(() -> get(dbClient.execute(), CREATE_CREDIT, Map.of("user_id", userId.value(), "now", timestamp(now)))
                        .map(Rows::credit)
                        .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row")))));
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return guarded("find", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> findOnce(userId)));
    }

    private Optional<Credit> findOnce(UserId userId) {
        return get(dbClient.execute(), FIND_CREDIT, Map.of("user_id", userId.value())).map(Rows::credit);
    }

    // Money moves are not repeated after a broken connection: the statement may have committed
    // before the connection broke. The caller gets 503 and its retry with the same idempotency key
    // either replays the committed move or applies it once.
    @Override
    public MoveOutcome grant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return guarded("grant", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () ->
                applyMove(dbClient.execute(), GRANT, grant.idempotency(), moveParams(grant.idempotency(), grant.id(),
                        grant.userId(), grant.amount(), Optional.empty(), grant.reason(), grant.at()))
                        .orElseThrow(() -> new IllegalStateException("a grant statement returned no entry"))));
    }

    @Override
    public MoveOutcome deduct(Deduction deduction) {
        Objects.requireNonNull(deduction, "deduction");
        Map<String, Object> params = moveParams(deduction.idempotency(), deduction.id(), deduction.userId(),
                deduction.amount(), deduction.reference(), Optional.empty(), deduction.at());
        return guarded("deduct", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> {
            Optional<MoveOutcome> moved = applyMove(dbClient.execute(), DEDUCT, deduction.idempotency(), params);
            if (moved.isPresent()) {
                return moved.get();
            }
            pauses.afterDeductionDidNotFit();
            return inTransaction(tx -> deductUnderLock(tx, deduction, params));
        }));
    }

    /**
     * The slow path of a deduction the balance did not cover: with the user's row locked, every
     * earlier move of the user has committed, so the key and the balance are read on one state. A
     * twin with the same key that committed meanwhile is replayed; a grant that made room lets the
     * deduction apply; only what really does not fit is refused, with the figures it was refused on.
     */
    private MoveOutcome deductUnderLock(DbTransaction tx, Deduction deduction, Map<String, Object> params) {
        Optional<Credit> locked = get(tx, LOCK_CREDIT, Map.of("user_id", deduction.userId().value())).map(Rows::credit);
        Optional<MoveOutcome> earlier = earlier(tx, deduction.idempotency());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (locked.isEmpty() || !locked.get().covers(deduction.amount())) {
            return new MoveOutcome.InsufficientBalance(locked.map(Credit::available).orElse(Usdc.ZERO), deduction.amount());
        }
        return applyMove(tx, DEDUCT, deduction.idempotency(), params)
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

    private MoveOutcome refundIn(DbTransaction tx, Refund refund) {
        Map<String, Object> deduction = Map.of("deduction_id", refund.deductionId().toString());
        dml(tx, OPEN_REFUNDS, deduction);
        Optional<DbRow> locked = get(tx, LOCK_REFUNDS, deduction);
        // The key is looked up again behind the deduction's lock: a concurrent refund with the
        // same key has committed by then, so it is replayed instead of counted against the rest.
        Optional<MoveOutcome> earlier = earlier(tx, refund.idempotency());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (locked.isEmpty()) {
            return new MoveOutcome.DeductionNotFound();
        }
        DbRow row = locked.get();
        Usdc refundable = Usdc.ofUnits(row.column("amount_units").get(Long.class))
                .minus(Usdc.ofUnits(row.column("refunded_units").get(Long.class)));
        Optional<Usdc> giving = refund.amountWithin(refundable);
        if (giving.isEmpty()) {
            return new MoveOutcome.RefundExceedsDeduction(refundable);
        }
        Map<String, Object> params = idempotencyParams(refund.idempotency());
        params.put("id", refund.id().toString());
        params.put("deduction_id", refund.deductionId().toString());
        params.put("user_id", row.column("user_id").get(String.class));
        params.put("amount", giving.get().units());
        params.put("reason", refund.reason());
        params.put("at", timestamp(refund.at()));
        dml(tx, ADD_REFUNDED, params);
        try {
            return get(tx, CREDIT_REFUND, params)
                    .map(entry -> (MoveOutcome) new MoveOutcome.Applied(Rows.entry(entry).entry()))
                    .orElseThrow(() -> new IllegalStateException("the deduction's credit row is missing"));
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

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", userId.value());
        params.put("before", after.map(HistoryCursor::position).orElse(Long.MAX_VALUE));
        // One row more than the page tells whether another page exists, without a count.
        params.put("rows", limit + 1L);
        List<Positioned> rows = guarded("history", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            try (Stream<DbRow> stream = query(dbClient.execute(), HISTORY, params)) {
                return stream.map(Rows::entry).toList();
            }
        }));
        List<Positioned> page = rows.subList(0, Math.min(limit, rows.size()));
        Optional<HistoryCursor> next = rows.size() > limit
                ? Optional.of(new HistoryCursor(page.get(page.size() - 1).seq()))
                : Optional.empty();
        return new HistoryPage(page.stream().map(Positioned::entry).toList(), next);
    }

    private static Map<String, Object> moveParams(Idempotency idempotency, EntryId id, UserId userId, Usdc amount,
                                                  Optional<String> reference, Optional<String> reason, Instant at) {
        Map<String, Object> params = idempotencyParams(idempotency);
        params.put("id", id.toString());
        params.put("user_id", userId.value());
        params.put("amount", amount.units());
        params.put("reference", reference.orElse(null));
        params.put("reason", reason.orElse(null));
        params.put("at", timestamp(at));
        return params;
    }

    /**
     * Runs a grant or deduction statement. Empty when the statement changed no credit row (a
     * deduction the balance does not cover); otherwise what became of the move.
     */
    private Optional<MoveOutcome> applyMove(DbExecute execute, Sql statement, Idempotency idempotency,
                                            Map<String, Object> params) {
        try {
            return get(execute, statement, params).map(row -> row.column("applied").get(Boolean.class)
                    ? new MoveOutcome.Applied(Rows.entry(row).entry())
                    : idempotency.againstEarlier(Rows.entry(row).entry(), Rows.fingerprint(row)));
        } catch (RuntimeException e) {
            if (SqlFailures.is(e, SqlFailures.UNIQUE_VIOLATION)) {
                return Optional.of(replayAfterConflict(idempotency, e));
            }
            // The balance would pass bigint. A twin with this key may have committed meanwhile
            // (this statement's snapshot did not see it): then this is its replay.
            if (SqlFailures.is(e, SqlFailures.NUMERIC_OUT_OF_RANGE)) {
                return Optional.of(earlier(dbClient.execute(), idempotency)
                        .orElse(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE)));
            }
            throw e;
        }
    }

    /**
     * Runs {@code body} in one transaction, committed only when money moved; any other outcome
     * rolls back, so a refusal leaves nothing behind.
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
                try {
                    tx.rollback();
                } catch (RuntimeException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        }
    }

    /** What an earlier request with the same idempotency identity left, as the domain judges it. */
    private static Optional<MoveOutcome> earlier(DbExecute execute, Idempotency idempotency) {
        return get(execute, FIND_BY_IDEMPOTENCY, idempotencyParams(idempotency))
                .map(row -> idempotency.againstEarlier(Rows.entry(row).entry(), Rows.fingerprint(row)));
    }

    // A unique violation is committed history (PostgreSQL reports it only once the other
    // transaction committed), so the earlier entry is readable now. If it is not there, the
    // violation was of another key (an entry id used twice): a bug upstream, not a replay.
    private MoveOutcome replayAfterConflict(Idempotency idempotency, RuntimeException conflict) {
        return earlier(dbClient.execute(), idempotency).orElseThrow(() -> new IllegalStateException(
                "the ledger refused the entry as a duplicate, but no entry has its idempotency key"
                        + " (was an entry id used twice?)", conflict));
    }

    /**
     * Runs one port operation and reports "the database cannot answer now" (no connection within
     * the pool timeout, a lost connection, the server shutting down, a statement timeout, conflicts
     * that persisted) as {@link credits.domain.StorageUnavailableException}, which callers turn into
     * 503 with Retry-After. Any other failure passes through unchanged.
     */
    private <T> T guarded(String operation, Supplier<T> body) {
        try {
            return gate.through(body);
        } catch (RuntimeException e) {
            throw SqlFailures.asUnavailable(operation, e).map(RuntimeException.class::cast).orElse(e);
        }
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
}
