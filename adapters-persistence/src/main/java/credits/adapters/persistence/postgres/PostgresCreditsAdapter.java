package credits.adapters.persistence.postgres;

import static credits.adapters.persistence.postgres.LedgerSql.ACTIVE_HOLDS;
import static credits.adapters.persistence.postgres.LedgerSql.ACTIVE_HOLDS_OF;
import static credits.adapters.persistence.postgres.LedgerSql.ADD_REFUNDED;
import static credits.adapters.persistence.postgres.LedgerSql.APPLY_MOVE;
import static credits.adapters.persistence.postgres.LedgerSql.CLAIM_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.CREATE_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.CREATE_CREDITS;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_CREDITS;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_BY_IDEMPOTENCY;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_BY_IDEMPOTENCY_KEYS;
import static credits.adapters.persistence.postgres.LedgerSql.END_HOLD;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_HOLD;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_HOLDS;
import static credits.adapters.persistence.postgres.LedgerSql.INSERT_HOLDS;
import static credits.adapters.persistence.postgres.LedgerSql.END_HOLDS;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_PAYMENT;
import static credits.adapters.persistence.postgres.LedgerSql.FIND_THRESHOLD;
import static credits.adapters.persistence.postgres.LedgerSql.INSERT_EVENTS;
import static credits.adapters.persistence.postgres.LedgerSql.SET_THRESHOLD;
import static credits.adapters.persistence.postgres.LedgerSql.HISTORY;
import static credits.adapters.persistence.postgres.LedgerSql.HOLDS;
import static credits.adapters.persistence.postgres.LedgerSql.INSERT_HOLD;
import static credits.adapters.persistence.postgres.LedgerSql.INSERT_ENTRY;
import static credits.adapters.persistence.postgres.LedgerSql.LOCK_REFUNDS;
import static credits.adapters.persistence.postgres.LedgerSql.LOCK_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.LOCK_CREDITS;
import static credits.adapters.persistence.postgres.LedgerSql.LOTS;
import static credits.adapters.persistence.postgres.LedgerSql.OPEN_REFUNDS;
import static credits.adapters.persistence.postgres.LedgerSql.OWED_EXPIRIES;
import static credits.adapters.persistence.postgres.LedgerSql.READ_STATE;
import static credits.adapters.persistence.postgres.LedgerSql.READ_STATES;
import static credits.adapters.persistence.postgres.LedgerSql.REFUND_HISTORY;
import static credits.adapters.persistence.postgres.LedgerSql.UPDATE_CREDIT;
import static credits.adapters.persistence.postgres.LedgerSql.UPDATE_LOTS;
import static credits.adapters.persistence.postgres.LedgerSql.WRITE_BATCH;
import static credits.adapters.persistence.postgres.Retries.retrying;
import static credits.adapters.persistence.postgres.Rows.idempotencyParams;
import static credits.adapters.persistence.postgres.Rows.timestamp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import credits.adapters.persistence.postgres.Retries.Repeat;
import credits.adapters.persistence.postgres.Rows.Positioned;
import credits.adapters.persistence.postgres.Rows.Stored;
import credits.domain.Balance;
import credits.domain.Capture;
import credits.domain.Change;
import credits.domain.CreditState;
import credits.domain.CreditsPort;
import credits.domain.Decision;
import credits.domain.Deduction;
import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.Grant;
import credits.domain.Hold;
import credits.domain.HoldPage;
import credits.domain.HoldRequest;
import credits.domain.HoldStatus;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Idempotency;
import credits.domain.LedgerEntry;
import credits.domain.Lot;
import credits.domain.LotOpening;
import credits.domain.LotPage;
import credits.domain.LotSummary;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.StorageUnavailableException;
import credits.domain.Topup;
import credits.domain.UserId;
import credits.domain.CreditEvent;
import credits.domain.LowBalanceAlert;
import credits.domain.Usdc;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * {@link CreditsPort} on PostgreSQL through Helidon DbClient: reads a user's {@link CreditState},
 * lets the domain decide, and writes the {@link Change} with the statements of {@link LedgerSql},
 * mapping rows through {@link Rows}.
 *
 * <p>A move is first decided on the state read without a lock and written by one statement that
 * applies only while the user's revision is the one read (two round trips, no explicit
 * transaction: the common case). When that statement changes nothing (another move came between,
 * the balance did not cover it, expiries are owed first), the move is decided again under the
 * user's row lock, in one transaction, and written there: every earlier move of the user has
 * committed by then, so a refusal is decided on the newest state and a twin with the same key is
 * replayed instead of counted.
 *
 * <p>Per user, ledger {@code seq} order is commit order: every move writes (and so locks) the
 * user's {@code credits} row in the same transaction that inserts its entries; a later move of that
 * user waits for the lock, so it cannot take a smaller {@code seq} and commit after a reader has
 * passed it. That is what makes history cursors exact while entries are added. On a distributed
 * engine that argument needs checking again (identity values there need not follow commit order
 * across nodes).
 */
final class PostgresCreditsAdapter implements CreditsPort, AutoCloseable {

    private final DbClient dbClient;
    private final PoolGate gate;
    private final Pauses pauses;
    private final Supplier<EntryId> ids = () -> new EntryId(UUID.randomUUID());
    // The instant up to which this instance's sweeper found every owed expiry; null until its first full scan.
    private final AtomicReference<Instant> sweptUpTo = new AtomicReference<>();
    private static final Duration CLOCK_SKEW_MARGIN = Duration.ofMinutes(1);
    // Two lanes: while one batch waits for its commit's flush, the next one is being decided. A
    // batch of 128 is one statement of a few hundred kilobytes at most; a lane's queue holds what
    // about half a second of peak load brings before it refuses with 503.
    private static final int MOVE_LANES = 2;
    private static final int MAX_MOVES_PER_BATCH = 128;
    private static final int QUEUED_MOVES_PER_LANE = 1024;
    // Deductions, holds, captures and releases (grants and top-ups open lots, whose place in the
    // burn-down order only storage assigns, and go alone).
    private final NaturalBatches<BatchedMove, MoveOutcome> moves;
    private final Optional<Usdc> defaultThreshold;
    // Balance reads coalesce the same way: what queued while a lane's last read was at the database
    // is read by one statement. Reads are short, so more lanes and bigger batches than for writes.
    private static final int READ_LANES = 2;
    private static final int MAX_READS_PER_BATCH = 256;
    private static final int QUEUED_READS_PER_LANE = 4096;
    private final NaturalBatches<Read, Optional<Balance>> reads;
    // Whose each recent hold is: a capture or release must know the user before it queues, and a
    // hold never changes user nor disappears, so a hold placed or looked up here saves the next
    // capture's lookup. Bounded: at peak hold rates it covers about a minute of holds.
    private static final int REMEMBERED_HOLDS = 65_536;
    private final Cache<EntryId, UserId> holders = Caffeine.newBuilder().maximumSize(REMEMBERED_HOLDS).build();

    /** One balance read: of a user at an instant, opening the user's credit when {@code create}. */
    private record Read(UserId userId, Instant now, boolean create) {
    }

    PostgresCreditsAdapter(DbClient dbClient, PoolGate gate) {
        this(dbClient, gate, Pauses.NONE, Optional.empty());
    }

    /**
     * With {@code pauses}, a test holds a move at a chosen point to make a race happen on purpose;
     * {@code defaultThreshold} is the low-balance threshold of users who set none.
     */
    PostgresCreditsAdapter(DbClient dbClient, PoolGate gate, Pauses pauses, Optional<Usdc> defaultThreshold) {
        this.defaultThreshold = Objects.requireNonNull(defaultThreshold, "defaultThreshold");
        this.dbClient = Objects.requireNonNull(dbClient, "dbClient");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.pauses = Objects.requireNonNull(pauses, "pauses");
        this.moves = new NaturalBatches<>("credits-moves", MOVE_LANES, MAX_MOVES_PER_BATCH, QUEUED_MOVES_PER_LANE,
                move -> move.userId().hashCode(), move -> move.alone().get(), this::writeTogether,
                StorageUnavailableException.class::isInstance);
        this.reads = new NaturalBatches<>("credits-reads", READ_LANES, MAX_READS_PER_BATCH, QUEUED_READS_PER_LANE,
                read -> read.userId().hashCode(), this::readAlone, this::readTogether, StorageUnavailableException.class::isInstance);
    }

    /** How many moves so far were written in a batch with others. */
    long batchedMoves() {
        return moves.batched();
    }

    /** The batches of moves and of reads written so far, for the metrics. */
    PostgresStore.BatchStats batchStats() {
        NaturalBatches.Counts moved = moves.counts();
        NaturalBatches.Counts read = reads.counts();
        return new PostgresStore.BatchStats(moved.batches(), moved.requests(), read.batches(), read.requests());
    }

    /** Stops the lanes; moves and reads still queued are answered "unavailable". */
    @Override
    public void close() {
        reads.close();
        moves.close();
    }

    /** Points where a test may hold a move; production runs none. */
    interface Pauses {
        Pauses NONE = new Pauses() {
        };

        /** A move's unlocked attempt did not apply; its decision under the row lock comes next. */
        default void beforeDecidingUnderLock() {
        }
    }

    @Override
    public Balance getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        return reads.submit(new Read(userId, now, true)).orElseThrow();
    }

    @Override
    public Optional<Balance> find(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        return reads.submit(new Read(userId, now, false));
    }

    /** A read on its own: a batch of one. */
    private Optional<Balance> readAlone(Read read) {
        // Almost every call is for an existing user: one read, and no write (no row lock, no dead
        // tuple) unless the credit row is really missing. The insert is idempotent (ON CONFLICT),
        // so the whole call may run again after a broken connection.
        return guarded(read.create() ? "getOrCreate" : "find", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            Optional<Balance> found = balance(read.userId(), read.now());
            return found.isPresent() || !read.create()
                    ? found
                    : Optional.of(Balance.of(createCredit(dbClient.execute(), read.userId(), read.now()).credit(), LotSummary.NONE));
        }));
    }

    /**
     * Reads of many users: one statement for every credit row, one more for the credits to open, each
     * answered as {@link #readAlone} would; a user whose stored summary no longer holds at the read's
     * instant (a lot or hold expired since) is read from its lots, alone.
     */
    private List<Optional<Balance>> readTogether(List<Read> batch) {
        return guarded("getOrCreate", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            Map<UserId, Rows.Revised> rows = new HashMap<>();
            List<String> users = batch.stream().map(read -> read.userId().value()).distinct().toList();
            try (Stream<DbRow> found = FIND_CREDITS.query(dbClient.execute(), Map.of("user_ids", Rows.textArray(users)))) {
                found.map(Rows::revised).forEach(row -> rows.put(row.credit().userId(), row));
            }
            Map<UserId, Instant> missing = new TreeMap<>(Comparator.comparing(UserId::value));
            batch.stream().filter(read -> read.create() && !rows.containsKey(read.userId()))
                    .forEach(read -> missing.putIfAbsent(read.userId(), read.now()));
            if (!missing.isEmpty()) {
                Map<String, Object> params = Map.of(
                        "user_ids", Rows.textArray(missing.keySet().stream().map(UserId::value).toList()),
                        "times", Rows.textArray(missing.values().stream().map(Instant::toString).toList()));
                try (Stream<DbRow> created = CREATE_CREDITS.query(dbClient.execute(), params)) {
                    created.map(Rows::revised).forEach(row -> rows.put(row.credit().userId(), row));
                }
            }
            List<Optional<Balance>> balances = new ArrayList<>(batch.size());
            for (Read read : batch) {
                Optional<Rows.Revised> row = Optional.ofNullable(rows.get(read.userId()));
                balances.add(row.isEmpty() || row.get().summary().holdsAt(read.now())
                        ? row.map(found -> Balance.of(found.credit(), found.summary()))
                        : balance(read.userId(), read.now()));
            }
            return balances;
        }));
    }

    /**
     * The balance at {@code now} from the credit row and its stored summary (one primary-key read),
     * or, once something has expired by then, from the lots themselves.
     */
    private Optional<Balance> balance(UserId userId, Instant now) {
        Optional<Rows.Revised> row = FIND_CREDIT.get(dbClient.execute(), Map.of("user_id", userId.value())).map(Rows::revised);
        if (row.isEmpty() || row.get().summary().holdsAt(now)) {
            return row.map(found -> Balance.of(found.credit(), found.summary()));
        }
        Stored stored = state(dbClient.execute(), READ_STATE, userId, List.of());
        return stored.credit().map(credit -> stored.state().balanceAt(now));
    }

    // Money moves are not repeated after a broken connection: the statement may have committed
    // before the connection broke. The caller gets 503 and its retry with the same idempotency key
    // either replays the committed move or applies it once.
    @Override
    public MoveOutcome grant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return guarded("grant", () -> open(grant, Optional.empty()));
    }

    @Override
    public MoveOutcome topup(Topup topup) {
        Objects.requireNonNull(topup, "topup");
        return guarded("topup", () -> open(topup, Optional.of(topup.deposit().paymentReference())));
    }

    private MoveOutcome open(LotOpening opening, Optional<String> payment) {
        // A grant or top-up opens the user's credit when missing, at the move's time.
        return move(opening.userId(), opening.idempotency(), payment, Optional.of(opening.at()), state -> state.open(opening, ids));
    }

    @Override
    public MoveOutcome deduct(Deduction deduction) {
        Objects.requireNonNull(deduction, "deduction");
        return moves.submit(batched(deduction));
    }

    /** A deduction as a batch's move. */
    BatchedMove batched(Deduction deduction) {
        return new BatchedMove("deduct", deduction.userId(), deduction.idempotency(), Optional.empty(),
                (state, hold) -> state.deduct(deduction, ids), () -> deductAlone(deduction));
    }

    /** One deduction written on its own: a batch of one, or each request of a batch that failed. */
    MoveOutcome deductAlone(Deduction deduction) {
        return guarded("deduct", () -> move(deduction.userId(), deduction.idempotency(), Optional.empty(), Optional.empty(),
                state -> state.deduct(deduction, ids)));
    }

    /**
     * Moves of one or many users decided and written in one transaction, with an outcome per move
     * in their order. The users are locked first (in one order), then their states, the holds the
     * moves act on and the entries already under the moves' keys are read; each move is decided on
     * its user's state as the earlier moves of the batch leave it (so two of one user behave as if
     * written one after the other, and a twin with the same key gets the first one's replay); then
     * every entry, lot and credit row is written by one statement, and the holds placed and ended
     * by one statement each. A refusal writes nothing and does not disturb the others.
     */
    List<MoveOutcome> writeTogether(List<BatchedMove> batch) {
        return guarded(batch.get(0).operation(), () -> inTransaction(tx -> decideTogether(tx, batch),
                outcomes -> outcomes.stream().anyMatch(MoveOutcome.Applied.class::isInstance)));
    }

    private List<MoveOutcome> decideTogether(DbTransaction tx, List<BatchedMove> batch) {
        Map<String, Object> users = Map.of("user_ids", Rows.textArray(
                batch.stream().map(move -> move.userId().value()).distinct().sorted().toList()));
        try (Stream<DbRow> locked = LOCK_CREDITS.query(tx, users)) {
            locked.forEach(row -> { });
        }
        Map<UserId, Stored> stored = new HashMap<>();
        try (Stream<DbRow> rows = READ_STATES.query(tx, users)) {
            rows.collect(Collectors.groupingBy(row -> UserId.of(row.column("user_id").get(String.class))))
                    .forEach((userId, userRows) -> stored.put(userId, Rows.stored(userId, userRows)));
        }
        List<String> holding = stored.values().stream().filter(Stored::holdsSomething).map(found -> found.userId().value()).toList();
        Map<UserId, List<Hold>> active = new HashMap<>();
        if (!holding.isEmpty()) {
            try (Stream<DbRow> rows = ACTIVE_HOLDS_OF.query(tx, Map.of("user_ids", Rows.textArray(holding)))) {
                rows.map(row -> Rows.hold(row).hold()).forEach(hold -> active.computeIfAbsent(hold.userId(), id -> new ArrayList<>()).add(hold));
            }
        }
        Map<UserId, CreditState> states = new HashMap<>();
        stored.forEach((userId, found) -> states.put(userId, found.withHolds(active.getOrDefault(userId, List.of())).state(defaultThreshold)));
        Map<Rows.KeyedBy, Rows.Earlier> earlier = earlierOf(tx, batch.stream().map(BatchedMove::idempotency).toList());
        // The holds the moves act on, as stored (their users are locked, so they stay so), then as
        // the batch's earlier moves leave them.
        Map<EntryId, Hold> holds = new HashMap<>();
        List<String> named = batch.stream().flatMap(move -> move.holdId().stream()).map(EntryId::toString).distinct().toList();
        if (!named.isEmpty()) {
            try (Stream<DbRow> rows = FIND_HOLDS.query(tx, Map.of("hold_ids", Rows.array(named)))) {
                rows.map(row -> Rows.hold(row).hold()).forEach(hold -> holds.put(hold.id(), hold));
            }
        }
        Rows.BatchWrite write = new Rows.BatchWrite();
        List<MoveOutcome> outcomes = new ArrayList<>(batch.size());
        for (BatchedMove move : batch) {
            Idempotency idempotency = move.idempotency();
            Rows.Earlier before = earlier.get(Rows.KeyedBy.of(idempotency));
            if (before != null) {
                outcomes.add(idempotency.againstEarlier(before.entry(), before.fingerprint()));
                continue;
            }
            CreditState state = states.getOrDefault(move.userId(), CreditState.of(move.userId(), Optional.empty(), List.of()));
            Optional<Hold> hold = move.holdId().map(id -> Optional.ofNullable(holds.get(id))
                    .orElseThrow(() -> new IllegalStateException("a hold found before its move queued is gone")));
            Decision decision = move.decide().apply(state, hold);
            if (decision instanceof Decision.Apply apply) {
                states.put(move.userId(), state.after(apply.change()));
                apply.change().changedHolds().forEach(changed -> holds.put(changed.id(), changed));
                write.add(apply.change(), idempotency);
                earlier.put(Rows.KeyedBy.of(idempotency), new Rows.Earlier(apply.change().move().orElseThrow(),
                        idempotency.fingerprint()));
                outcomes.add(apply.outcome());
            } else {
                outcomes.add(((Decision.Refuse) decision).outcome());
            }
        }
        if (!write.isEmpty() && WRITE_BATCH.dml(tx, write.params()) != write.users()) {
            throw new IllegalStateException("a locked credit row was not there to write");
        }
        if (!write.placedHolds().isEmpty() && INSERT_HOLDS.dml(tx, Rows.placedHoldParams(write.placedHolds()))
                != write.placedHolds().size()) {
            throw new IllegalStateException("a placed hold's entry was not there");
        }
        if (!write.endedHolds().isEmpty() && END_HOLDS.dml(tx, Rows.endedHoldParams(write.endedHolds()))
                != write.endedHolds().size()) {
            throw new IllegalStateException("a hold was ended twice");
        }
        writeEvents(tx, write.events());
        return outcomes;
    }

    /** The entries already written under any of {@code identities}, by identity. */
    private static Map<Rows.KeyedBy, Rows.Earlier> earlierOf(DbExecute execute, List<Idempotency> identities) {
        Map<String, Object> params = new HashMap<>();
        params.put("callers", Rows.textArray(identities.stream().map(identity -> identity.caller().value()).toList()));
        params.put("types", Rows.textArray(identities.stream().map(identity -> identity.operation().code()).toList()));
        params.put("keys", Rows.textArray(identities.stream().map(identity -> identity.key().value()).toList()));
        Map<Rows.KeyedBy, Rows.Earlier> found = new HashMap<>();
        try (Stream<DbRow> rows = FIND_BY_IDEMPOTENCY_KEYS.query(execute, params)) {
            rows.forEach(row -> found.put(Rows.KeyedBy.of(row), new Rows.Earlier(Rows.entry(row).entry(), Rows.fingerprint(row))));
        }
        return found;
    }

    /**
     * A grant, top-up or deduction: decided without a lock and written in one statement when
     * nothing came between, otherwise decided again and written under the user's lock.
     */
    private MoveOutcome move(UserId userId, Idempotency idempotency, Optional<String> payment, Optional<Instant> opensCreditAt,
                             Function<CreditState, Decision> decide) {
        return retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> afterConflict(idempotency, payment, () -> {
            Stored stored = state(dbClient.execute(), READ_STATE, userId, List.of());
            // A move that tells something (a crossing, a top-up) writes its events too: under the lock.
            if (stored.credit().isPresent() && decide.apply(stored.state(defaultThreshold)) instanceof Decision.Apply apply
                    && apply.change().entries().size() == 1 && apply.change().events().isEmpty()) {
                Optional<MoveOutcome> applied = applyMove(apply.change(), idempotency, stored.revision(), payment);
                if (applied.isPresent()) {
                    return applied.get();
                }
            }
            pauses.beforeDecidingUnderLock();
            return inTransaction(tx -> decideUnderLock(tx, userId, idempotency, payment, opensCreditAt, decide));
        }));
    }

    private MoveOutcome decideUnderLock(DbTransaction tx, UserId userId, Idempotency idempotency, Optional<String> payment,
                                        Optional<Instant> opensCreditAt, Function<CreditState, Decision> decide) {
        Stored stored = lockedState(tx, userId, List.of());
        Optional<MoveOutcome> earlier = earlier(tx, idempotency);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (payment.isPresent() && credited(tx, payment.get())) {
            return new MoveOutcome.PaymentAlreadyCredited();
        }
        if (stored.credit().isEmpty() && opensCreditAt.isPresent()) {
            createCredit(tx, userId, opensCreditAt.get());
            stored = lockedState(tx, userId, List.of());
        }
        return write(tx, decide.apply(stored.state(defaultThreshold)), Optional.of(idempotency), stored.revision());
    }

    /**
     * Runs the one-statement write of a single-entry change. Empty when it changed nothing (the
     * revision moved on, or the payment was credited meanwhile); otherwise what became of the move.
     */
    private Optional<MoveOutcome> applyMove(Change change, Idempotency idempotency, long revision, Optional<String> payment) {
        LedgerEntry entry = change.entries().get(0);
        Map<String, Object> params = Rows.entryParams(entry, Optional.of(idempotency));
        Rows.lotParams(change.changedLots(), params);
        Rows.creditParams(change, revision, params);
        params.put("payment_reference", payment.orElse(null));
        return APPLY_MOVE.get(dbClient.execute(), params).map(row -> row.column("applied").get(Boolean.class)
                ? new MoveOutcome.Applied(Rows.entry(row).entry())
                : idempotency.againstEarlier(Rows.entry(row).entry(), Rows.fingerprint(row)));
    }

    /** Writes a decided change in {@code tx}, which holds the user's lock; a refusal writes nothing. */
    private MoveOutcome write(DbTransaction tx, Decision decision, Optional<Idempotency> idempotency, long revision) {
        if (decision instanceof Decision.Refuse refuse) {
            return refuse.outcome();
        }
        Change change = ((Decision.Apply) decision).change();
        writeChange(tx, change, idempotency, revision);
        return ((Decision.Apply) decision).outcome();
    }

    private static void writeChange(DbExecute tx, Change change, Optional<Idempotency> idempotency, long revision) {
        for (LedgerEntry entry : change.entries()) {
            boolean isMove = change.move().filter(move -> move.id().equals(entry.id())).isPresent();
            INSERT_ENTRY.get(tx, Rows.entryParams(entry, isMove ? idempotency : Optional.empty()))
                    .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row"));
        }
        for (Hold hold : change.changedHolds()) {
            if ((hold.status() == HoldStatus.ACTIVE ? INSERT_HOLD : END_HOLD).dml(tx, Rows.holdParams(hold)) != 1) {
                throw new IllegalStateException("a hold was placed or ended twice");
            }
        }
        Map<String, Object> params = new HashMap<>();
        if (!change.changedLots().isEmpty()) {
            Rows.lotParams(change.changedLots(), params);
            UPDATE_LOTS.dml(tx, params);
        }
        Rows.creditParams(change, revision, params);
        if (UPDATE_CREDIT.dml(tx, params) != 1) {
            throw new IllegalStateException("the credit row changed under its lock");
        }
        writeEvents(tx, change.events());
    }

    /** The outbox rows of a move's events, in the move's transaction. */
    private static void writeEvents(DbExecute tx, List<CreditEvent> events) {
        if (!events.isEmpty()) {
            INSERT_EVENTS.dml(tx, Rows.eventParams(events));
        }
    }

    @Override
    public MoveOutcome refund(Refund refund) {
        Objects.requireNonNull(refund, "refund");
        return guarded("refund", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> afterConflict(refund.idempotency(),
                Optional.empty(), () -> {
                    // A replay of a committed refund is answered from the ledger, without taking any lock.
                    Optional<MoveOutcome> earlier = earlier(dbClient.execute(), refund.idempotency());
                    return earlier.isPresent() ? earlier.get() : inTransaction(tx -> refundIn(tx, refund));
                })));
    }

    private MoveOutcome refundIn(DbTransaction tx, Refund refund) {
        Map<String, Object> deduction = Map.of("deduction_id", refund.deductionId().toString());
        OPEN_REFUNDS.dml(tx, deduction);
        Optional<DbRow> locked = LOCK_REFUNDS.get(tx, deduction);
        // The key is looked up again behind the deduction's lock: a concurrent refund with the
        // same key has committed by then, so it is replayed instead of counted against the rest.
        Optional<MoveOutcome> earlier = earlier(tx, refund.idempotency());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (locked.isEmpty()) {
            return new MoveOutcome.DeductionNotFound();
        }
        List<LedgerEntry> history;
        try (Stream<DbRow> rows = REFUND_HISTORY.query(tx, deduction)) {
            history = rows.map(row -> Rows.entry(row).entry()).toList();
        }
        LedgerEntry deducted = history.get(0);
        Stored stored = lockedState(tx, deducted.userId(), deducted.drawnFrom().stream().map(Draw::lotId).toList());
        Decision decision = stored.state(defaultThreshold).refund(refund, deducted, history.subList(1, history.size()), ids);
        if (decision instanceof Decision.Apply apply) {
            Map<String, Object> refunded = new HashMap<>(deduction);
            refunded.put("amount", apply.change().move().orElseThrow().amount().units());
            ADD_REFUNDED.dml(tx, refunded);
        }
        return write(tx, decision, Optional.of(refund.idempotency()), stored.revision());
    }

    @Override
    public MoveOutcome placeHold(HoldRequest request) {
        Objects.requireNonNull(request, "request");
        MoveOutcome outcome = moves.submit(batched(request));
        if (outcome instanceof MoveOutcome.Applied applied) {
            applied.entry().holdId().ifPresent(hold -> holders.put(hold, request.userId()));
        }
        return outcome;
    }

    /** A hold's placement as a batch's move. */
    BatchedMove batched(HoldRequest request) {
        return new BatchedMove("placeHold", request.userId(), request.idempotency(), Optional.empty(),
                (state, hold) -> state.placeHold(request, ids), () -> placeHoldAlone(request));
    }

    /** A capture of a hold of {@code holder} as a batch's move. */
    BatchedMove batched(Capture capture, UserId holder) {
        BiFunction<CreditState, Hold, Decision> decide = (state, hold) -> state.capture(capture, hold, ids);
        return new BatchedMove("capture", holder, capture.idempotency(), Optional.of(capture.holdId()),
                (state, hold) -> decide.apply(state, hold.orElseThrow()),
                () -> onHold("capture", capture.holdId(), capture.idempotency(), decide));
    }

    /** A release of a hold of {@code holder} as a batch's move. */
    BatchedMove batched(Release release, UserId holder) {
        BiFunction<CreditState, Hold, Decision> decide = (state, hold) -> state.release(release, hold, ids);
        return new BatchedMove("release", holder, release.idempotency(), Optional.of(release.holdId()),
                (state, hold) -> decide.apply(state, hold.orElseThrow()),
                () -> onHold("release", release.holdId(), release.idempotency(), decide));
    }

    /** One hold placed on its own: a batch of one, or each move of a batch that failed. */
    private MoveOutcome placeHoldAlone(HoldRequest request) {
        return guarded("placeHold", () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> afterConflict(request.idempotency(),
                Optional.empty(), () -> {
                    // A replay of a committed hold is answered from the ledger, without taking any lock.
                    Optional<MoveOutcome> earlier = earlier(dbClient.execute(), request.idempotency());
                    return earlier.isPresent() ? earlier.get() : inTransaction(tx -> {
                        Stored stored = lockedState(tx, request.userId(), List.of());
                        Optional<MoveOutcome> committed = earlier(tx, request.idempotency());
                        if (committed.isPresent()) {
                            return committed.get();
                        }
                        return write(tx, stored.state(defaultThreshold).placeHold(request, ids), Optional.of(request.idempotency()),
                                stored.revision());
                    });
                })));
    }

    @Override
    public MoveOutcome capture(Capture capture) {
        Objects.requireNonNull(capture, "capture");
        return queuedOnHold("capture", capture.holdId(), holder -> batched(capture, holder));
    }

    @Override
    public MoveOutcome release(Release release) {
        Objects.requireNonNull(release, "release");
        return queuedOnHold("release", release.holdId(), holder -> batched(release, holder));
    }

    /**
     * A capture or release queued for its hold's user's lane: an unknown hold is refused first; the
     * batch then checks the key and decides under the user's lock on the hold as it is then.
     */
    private MoveOutcome queuedOnHold(String operation, EntryId holdId, Function<UserId, BatchedMove> move) {
        // The hold is found first: an unknown one is 404 before its key is looked at, and its user
        // names the lane and the lock.
        UserId holder = holders.getIfPresent(holdId);
        if (holder == null) {
            Optional<Rows.PositionedHold> found = guarded(operation, () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION,
                    () -> findHold(dbClient.execute(), holdId)));
            if (found.isEmpty()) {
                return new MoveOutcome.HoldNotFound();
            }
            holder = found.get().hold().userId();
            holders.put(holdId, holder);
        }
        return moves.submit(move.apply(holder));
    }

    /**
     * A capture or release on its own, in the contract's order: an unknown hold, then the key (a
     * replay takes no lock), then the decision under the hold's user's lock on the hold as it is then
     * (a hold ends only under that lock, so a capture, a release and the sweeper's expiry cannot both win).
     */
    private MoveOutcome onHold(String operation, EntryId holdId, Idempotency idempotency, BiFunction<CreditState, Hold, Decision> decide) {
        return guarded(operation, () -> retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> afterConflict(idempotency, Optional.empty(), () -> {
            Optional<Rows.PositionedHold> found = findHold(dbClient.execute(), holdId);
            if (found.isEmpty()) {
                return new MoveOutcome.HoldNotFound();
            }
            Optional<MoveOutcome> earlier = earlier(dbClient.execute(), idempotency);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            return inTransaction(tx -> {
                Stored stored = lockedState(tx, found.get().hold().userId(), List.of());
                Optional<MoveOutcome> committed = earlier(tx, idempotency);
                if (committed.isPresent()) {
                    return committed.get();
                }
                Hold hold = findHold(tx, holdId).orElseThrow().hold();
                return write(tx, decide.apply(stored.state(defaultThreshold), hold), Optional.of(idempotency), stored.revision());
            });
        })));
    }

    @Override
    public Optional<Hold> hold(EntryId holdId, Instant now) {
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(now, "now");
        return guarded("hold", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION,
                () -> findHold(dbClient.execute(), holdId).map(found -> found.hold().asOf(now))));
    }

    @Override
    public HoldPage holds(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", userId.value());
        params.put("before", after.map(HistoryCursor::position).orElse(Long.MAX_VALUE));
        params.put("status", status.map(HoldStatus::code).orElse(null));
        params.put("now", timestamp(now));
        params.put("rows", limit + 1L);
        List<Rows.PositionedHold> rows = guarded("holds", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            try (Stream<DbRow> stream = HOLDS.query(dbClient.execute(), params)) {
                return stream.map(Rows::hold).toList();
            }
        }));
        List<Rows.PositionedHold> page = rows.subList(0, Math.min(limit, rows.size()));
        Optional<HistoryCursor> next = rows.size() > limit
                ? Optional.of(new HistoryCursor(page.get(page.size() - 1).seq()))
                : Optional.empty();
        return new HoldPage(page.stream().map(found -> found.hold().asOf(now)).toList(), next);
    }

    private static Optional<Rows.PositionedHold> findHold(DbExecute execute, EntryId holdId) {
        return FIND_HOLD.get(execute, Map.of("hold_id", holdId.toString())).map(Rows::hold);
    }

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", userId.value());
        params.put("before", after.map(HistoryCursor::position).orElse(Long.MAX_VALUE));
        // One row more than the page tells whether another page exists, without a count.
        params.put("rows", limit + 1L);
        List<Positioned> rows = guarded("history", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            // Owed expiries are written before the page is read, waiting for a move that holds the user.
            if (state(dbClient.execute(), READ_STATE, userId, List.of()).state().owesExpiriesAt(now)) {
                settleInTransaction(userId, now, LOCK_CREDIT);
            }
            try (Stream<DbRow> stream = HISTORY.query(dbClient.execute(), params)) {
                return stream.map(Rows::entry).toList();
            }
        }));
        List<Positioned> page = rows.subList(0, Math.min(limit, rows.size()));
        Optional<HistoryCursor> next = rows.size() > limit
                ? Optional.of(new HistoryCursor(page.get(page.size() - 1).seq()))
                : Optional.empty();
        return new HistoryPage(page.stream().map(Positioned::entry).toList(), next);
    }

    @Override
    public LotPage lots(UserId userId, LotPage.Query query, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(query, "query");
        return guarded("lots", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            // The credit row alone (LOTS reads every lot, used ones too), its active holds only if it holds anything.
            Optional<Rows.Revised> credit = FIND_CREDIT.get(dbClient.execute(), Map.of("user_id", userId.value())).map(Rows::revised);
            if (credit.isEmpty()) {
                return LotPage.of(List.of(), query, now);
            }
            List<Lot> every;
            try (Stream<DbRow> rows = LOTS.query(dbClient.execute(), Map.of("user_id", userId.value()))) {
                every = rows.map(Rows::lot).toList();
            }
            List<Hold> holds = credit.get().credit().held().isZero() ? List.of() : activeHolds(dbClient.execute(), userId);
            // As a read at now shows them: what expired holds reserved given back first.
            CreditState state = CreditState.of(userId, credit.map(Rows.Revised::credit), every, holds, credit.get().chainHead());
            return LotPage.of(state.lotsAt(now), query, now);
        }));
    }

    @Override
    public int settleExpiries(Instant now, int maxUsers) {
        Map<String, Object> params = new HashMap<>();
        params.put("now", timestamp(now));
        // A clock that stepped back (or a test's earlier instant) looks again from there.
        params.put("since", Optional.ofNullable(sweptUpTo.get())
                .map(upTo -> timestamp((upTo.isBefore(now) ? upTo : now).minus(CLOCK_SKEW_MARGIN))).orElse(null));
        params.put("rows", (long) maxUsers);
        return guarded("settleExpiries", () -> {
            List<UserId> owedLots;
            try (Stream<DbRow> rows = OWED_EXPIRIES.query(dbClient.execute(), params)) {
                owedLots = rows.map(row -> UserId.of(row.column("user_id").get(String.class))).toList();
            }
            int settled = 0;
            for (UserId userId : new LinkedHashSet<>(owedLots)) {
                if (retrying(Repeat.ONLY_WHEN_ROLLED_BACK, () -> settleInTransaction(userId, now, CLAIM_CREDIT))) {
                    settled++;
                }
            }
            // Everything owed by now was found: written here, or by whoever held the user (a move or
            // another instance writes owed expiries under the same lock). The next pass looks only at
            // later instants, less a margin for lots opened by instances whose clocks lag.
            if (owedLots.size() < maxUsers) {
                sweptUpTo.set(now);
            }
            return settled;
        });
    }

    /**
     * Writes the expiries owed at {@code now} for one user, in a transaction that first takes the
     * user's row with {@code lock}: {@code LOCK_CREDIT} waits for it, {@code CLAIM_CREDIT} skips a
     * user someone else holds (who writes them instead).
     *
     * @return whether expiries were written
     */
    private boolean settleInTransaction(UserId userId, Instant now, Sql lock) {
        return inTransaction(tx -> {
            if (lock.get(tx, Map.of("user_id", userId.value())).isEmpty()) {
                return false; // skipped (CLAIM_CREDIT), or no credit at all
            }
            Stored stored = state(tx, READ_STATE, userId, List.of());
            Optional<Change> owed = stored.state(defaultThreshold).settle(now, ids);
            owed.ifPresent(change -> writeChange(tx, change, Optional.empty(), stored.revision()));
            return owed.isPresent();
        }, written -> written);
    }

    @Override
    public Optional<Usdc> lowBalanceThreshold(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        Optional<Usdc> own = guarded("lowBalanceThreshold", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION,
                () -> FIND_THRESHOLD.get(dbClient.execute(), Map.of("user_id", userId.value()))
                        .flatMap(row -> Optional.ofNullable(row.column("low_balance_units").get(Long.class)))
                        .map(Usdc::ofUnits)));
        return LowBalanceAlert.applying(own, defaultThreshold);
    }

    @Override
    public Optional<Usdc> setLowBalanceThreshold(UserId userId, Optional<Usdc> own, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(own, "own");
        Objects.requireNonNull(now, "now");
        new LowBalanceAlert(own, false); // refuses a zero threshold before the CHECK would
        Map<String, Object> params = new HashMap<>();
        params.put("user_id", userId.value());
        params.put("threshold", own.map(Usdc::units).orElse(null));
        // Both statements are idempotent, so the pair may run again after a broken connection.
        guarded("setLowBalanceThreshold", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            createCredit(dbClient.execute(), userId, now);
            return SET_THRESHOLD.dml(dbClient.execute(), params);
        }));
        return LowBalanceAlert.applying(own, defaultThreshold);
    }

    /** The user's state read under the user's row lock, which {@code tx} takes first (and keeps). */
    private static Stored lockedState(DbTransaction tx, UserId userId, List<EntryId> alsoLots) {
        LOCK_CREDIT.get(tx, Map.of("user_id", userId.value()));
        return state(tx, READ_STATE, userId, alsoLots);
    }

    private static Stored state(DbExecute execute, Sql statement, UserId userId, List<EntryId> alsoLots) {
        Map<String, Object> params = Map.of("user_id", userId.value(),
                "lot_ids", Rows.array(alsoLots.stream().map(EntryId::toString).toList()));
        Stored stored;
        try (Stream<DbRow> rows = statement.query(execute, params)) {
            stored = Rows.stored(userId, rows.toList());
        }
        return stored.holdsSomething() ? stored.withHolds(activeHolds(execute, userId)) : stored;
    }

    private static List<Hold> activeHolds(DbExecute execute, UserId userId) {
        try (Stream<DbRow> rows = ACTIVE_HOLDS.query(execute, Map.of("user_id", userId.value()))) {
            return rows.map(row -> Rows.hold(row).hold()).toList();
        }
    }

    private static Rows.Revised createCredit(DbExecute execute, UserId userId, Instant now) {
        return CREATE_CREDIT.get(execute, Map.of("user_id", userId.value(), "now", timestamp(now)))
                .map(Rows::revised)
                .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row"));
    }

    private static boolean credited(DbExecute execute, String paymentReference) {
        return FIND_PAYMENT.get(execute, Map.of("payment_reference", paymentReference)).isPresent();
    }

    /**
     * A unique violation is committed history (PostgreSQL reports it only once the other
     * transaction committed), so what it collided with is readable now: an entry under the same
     * key (the replay) or, for a top-up, the same payment. Anything else (an entry id used twice)
     * is a bug upstream, not a replay.
     */
    private MoveOutcome afterConflict(Idempotency idempotency, Optional<String> payment, Supplier<MoveOutcome> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            if (!SqlFailures.is(e, SqlFailures.UNIQUE_VIOLATION)) {
                throw e;
            }
            Optional<MoveOutcome> earlier = earlier(dbClient.execute(), idempotency);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (payment.isPresent() && credited(dbClient.execute(), payment.get())) {
                return new MoveOutcome.PaymentAlreadyCredited();
            }
            throw new IllegalStateException("the ledger refused an entry as a duplicate, but neither its idempotency key"
                    + " nor its payment is there (was an entry id used twice?)", e);
        }
    }

    /**
     * Runs {@code body} in one transaction, committed only when money moved; any other outcome
     * rolls back, so a refusal leaves nothing behind.
     */
    private MoveOutcome inTransaction(Function<DbTransaction, MoveOutcome> body) {
        return inTransaction(body, outcome -> outcome instanceof MoveOutcome.Applied);
    }

    private <T> T inTransaction(Function<DbTransaction, T> body, Predicate<T> commit) {
        DbTransaction tx = dbClient.transaction();
        // Helidon's commit and rollback both end the transaction and close its connection, even when
        // they fail; only a failure before either was called needs a rollback here.
        boolean ended = false;
        try {
            T result = body.apply(tx);
            ended = true;
            if (commit.test(result)) {
                tx.commit();
            } else {
                tx.rollback();
            }
            return result;
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
        return FIND_BY_IDEMPOTENCY.get(execute, idempotencyParams(idempotency))
                .map(row -> idempotency.againstEarlier(Rows.entry(row).entry(), Rows.fingerprint(row)));
    }

    /** Runs one port operation through the pool's gate, a database that cannot answer reported as unavailable. */
    private <T> T guarded(String operation, Supplier<T> body) {
        return gate.guarded(operation, body);
    }
}
