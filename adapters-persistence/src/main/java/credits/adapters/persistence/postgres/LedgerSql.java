package credits.adapters.persistence.postgres;

/**
 * Every statement the PostgreSQL adapter runs, in one place. The invariants live in these
 * statements and in the migrations' constraints, never in a read-modify-write in Java: a
 * deduction's overdraft check is the {@code WHERE} of its {@code UPDATE}, re-evaluated by
 * PostgreSQL on the newest row version after a lock wait; one effect per idempotency identity is
 * the ledger's unique key.
 *
 * <p>Ids are sent as text (DbClient binds a UUID as varchar), hence {@code CAST(:id AS uuid)}; the
 * other CASTs give an absent reference or reason (an untyped NULL) its column's type.
 *
 * <p>Portability: data-modifying CTEs and {@code ON CONFLICT} are PostgreSQL syntax that
 * CockroachDB and YugabyteDB also accept.
 */
final class LedgerSql {

    // What a ledger row gives back; seq is the history position, never shown to clients as is.
    static final String ENTRY_COLUMNS =
            "seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, created_at";

    static final Sql FIND_CREDIT = Sql.named("find-credit", """
            SELECT user_id, balance_units, held_units, created_at, updated_at
            FROM credits WHERE user_id = :user_id""");

    // DO UPDATE rather than DO NOTHING: under READ COMMITTED the loser of a race for a new user
    // then waits for the winner's row and gets it back from RETURNING, in the same statement. The
    // no-op SET leaves every value as the winner wrote it.
    static final Sql CREATE_CREDIT = Sql.named("create-credit", """
            INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at)
            VALUES (:user_id, 0, 0, :now, :now)
            ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id
            RETURNING user_id, balance_units, held_units, created_at, updated_at""");

    // An earlier entry under the same idempotency identity, read first: a replay of a committed
    // key then neither locks nor writes the user's credit row (and leaves no unique-violation error in the
    // server log). A twin still in flight is not seen here; the ledger's unique key catches it.
    private static final String EARLIER = """
            WITH earlier AS (
                SELECT %s, fingerprint FROM ledger_entries
                WHERE caller = :caller AND type = :type AND idempotency_key = :key),
            """.formatted(ENTRY_COLUMNS);

    // The entry of a grant or deduction, built from the credit row its CTE just changed, with
    // that row's time: GREATEST(updated_at, :at) under the row lock (Credit.nextMoveTime), so
    // along one user's history times never run backwards, whatever the instances' clocks say.
    private static final String INSERTED = """
            inserted AS (
                INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason,
                                            caller, idempotency_key, fingerprint, created_at)
                SELECT CAST(:id AS uuid), changed.user_id, :type, :amount, changed.balance_units,
                       CAST(:reference AS varchar(255)), CAST(:reason AS varchar(1000)),
                       :caller, :key, :fingerprint, changed.updated_at
                FROM changed
                RETURNING %s)
            """.formatted(ENTRY_COLUMNS);

    // The applied entry, or the earlier one with its fingerprint; no row when a deduction did not fit.
    private static final String APPLIED_OR_EARLIER = """
            SELECT true AS applied, %1$s, CAST(NULL AS char(64)) AS fingerprint FROM inserted
            UNION ALL
            SELECT false, %1$s, fingerprint FROM earlier""".formatted(ENTRY_COLUMNS);

    // Opens the user's credit when missing. No ON CONFLICT on the ledger insert: a key committed by a
    // twin after this statement's snapshot raises unique_violation, which undoes the whole
    // statement (the balance change included) and is then replayed.
    static final Sql GRANT = Sql.named("grant", EARLIER + """
            changed AS (
                INSERT INTO credits (user_id, balance_units, held_units, created_at, updated_at)
                SELECT :user_id, :amount, 0, :at, :at WHERE NOT EXISTS (SELECT 1 FROM earlier)
                ON CONFLICT (user_id) DO UPDATE
                SET balance_units = credits.balance_units + EXCLUDED.balance_units,
                    updated_at = GREATEST(credits.updated_at, :at)
                RETURNING user_id, balance_units, updated_at),
            """ + INSERTED + APPLIED_OR_EARLIER);

    // The WHERE is the whole overdraft check (available = balance - held). No row changed means
    // no entry and no effect.
    static final Sql DEDUCT = Sql.named("deduct", EARLIER + """
            changed AS (
                UPDATE credits SET balance_units = balance_units - :amount, updated_at = GREATEST(credits.updated_at, :at)
                WHERE user_id = :user_id AND balance_units - held_units >= :amount AND NOT EXISTS (SELECT 1 FROM earlier)
                RETURNING user_id, balance_units, updated_at),
            """ + INSERTED + APPLIED_OR_EARLIER);

    // A refused deduction is decided again under the user's row lock: every move of the user that
    // held it has committed by then, so "refused" and "key already used" are read on one state.
    static final Sql LOCK_CREDIT = Sql.named("lock-credit", """
            SELECT user_id, balance_units, held_units, created_at, updated_at
            FROM credits WHERE user_id = :user_id FOR UPDATE""");

    static final Sql FIND_BY_IDEMPOTENCY = Sql.named("find-by-idempotency-key", """
            SELECT %s, fingerprint FROM ledger_entries
            WHERE caller = :caller AND type = :type AND idempotency_key = :key""".formatted(ENTRY_COLUMNS));

    // The refund bookkeeping row of a deduction appears at its first refund (so the hot deduction
    // path writes two rows, not three); a racing first refund waits for the other's insert and
    // then finds the row.
    static final Sql OPEN_REFUNDS = Sql.named("open-refunds", """
            INSERT INTO deduction_refunds (deduction_id, user_id, amount_units, refunded_units)
            SELECT id, user_id, amount_units, 0 FROM ledger_entries
            WHERE id = CAST(:deduction_id AS uuid) AND type = 'deduction'
            ON CONFLICT (deduction_id) DO NOTHING""");

    // Refunds of one deduction run one at a time behind this lock.
    static final Sql LOCK_REFUNDS = Sql.named("lock-refunds", """
            SELECT user_id, amount_units, refunded_units FROM deduction_refunds
            WHERE deduction_id = CAST(:deduction_id AS uuid) FOR UPDATE""");

    // The CHECK on deduction_refunds refuses an over-refund even if the arithmetic were wrong.
    static final Sql ADD_REFUNDED = Sql.named("add-refunded", """
            UPDATE deduction_refunds SET refunded_units = refunded_units + :amount
            WHERE deduction_id = CAST(:deduction_id AS uuid)""");

    static final Sql CREDIT_REFUND = Sql.named("credit-refund", """
            WITH changed AS (
                UPDATE credits SET balance_units = balance_units + :amount, updated_at = GREATEST(credits.updated_at, :at)
                WHERE user_id = :user_id
                RETURNING user_id, balance_units, updated_at)
            INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reason, deduction_id,
                                        caller, idempotency_key, fingerprint, created_at)
            SELECT CAST(:id AS uuid), changed.user_id, 'refund', :amount, changed.balance_units, :reason,
                   CAST(:deduction_id AS uuid), :caller, :key, :fingerprint, changed.updated_at
            FROM changed
            RETURNING %s""".formatted(ENTRY_COLUMNS));

    // seq < :before with before = Long.MAX_VALUE for the first page keeps this one statement.
    static final Sql HISTORY = Sql.named("history", """
            SELECT %s FROM ledger_entries
            WHERE user_id = :user_id AND seq < :before ORDER BY seq DESC LIMIT :rows""".formatted(ENTRY_COLUMNS));

    private LedgerSql() {
    }
}
