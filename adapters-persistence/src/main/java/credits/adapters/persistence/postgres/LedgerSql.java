package credits.adapters.persistence.postgres;

/**
 * Every statement the PostgreSQL adapter runs, in one place. The decisions are the domain's
 * ({@code CreditState}); these statements write them so that they hold under any concurrency: a
 * move decided on a state read without a lock is written only while the user's {@code revision}
 * is still the one it read (the {@code WHERE} of its {@code UPDATE}, re-evaluated by PostgreSQL on
 * the newest row version after a lock wait); otherwise it is decided again under the row lock. One
 * effect per idempotency identity is the ledger's unique key; the lots' CHECKs and the deferred
 * balance = Σ lots trigger (V7) refuse whatever a wrong decision would write.
 *
 * <p>Ids are sent as text (DbClient binds a UUID as varchar), hence {@code CAST(:id AS uuid)};
 * arrays are sent in PostgreSQL's text form ({@code {a,b}}) and cast likewise, and read back as
 * text; the other CASTs give an absent value (an untyped NULL) its column's type.
 *
 * <p>Portability: data-modifying CTEs and {@code ON CONFLICT} are PostgreSQL syntax that
 * CockroachDB and YugabyteDB also accept.
 */
final class LedgerSql {

    // What a ledger row gives back, from the table or from RETURNING; seq is the history position,
    // never shown to clients as is.
    static final String ENTRY_COLUMNS = """
            seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, grant_id,
            CAST(drawn_lot_ids AS text) AS drawn_lot_ids, CAST(drawn_units AS text) AS drawn_units,
            category, priority, expires_at, payment_reference, memo, created_at, hold_id, hash""";

    // The same columns, selected from a CTE that already returned them under these names.
    private static final String ENTRY_NAMES = """
            seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, grant_id,
            drawn_lot_ids, drawn_units, category, priority, expires_at, payment_reference, memo, created_at, hold_id, hash""";

    private static final String CREDIT_COLUMNS = """
            c.user_id, c.balance_units, c.held_units, c.created_at, c.updated_at, c.revision,
            c.paid_units, c.next_expiry_at, c.next_expiry_units, c.next_hold_expiry_at, c.last_hash,
            c.low_balance_units, c.low_alerted""";

    // The credit row alone, with its lots' summary: a balance read before the summary's next expiry.
    static final Sql FIND_CREDIT = Sql.named("find-credit", """
            SELECT %s FROM credits c WHERE c.user_id = :user_id""".formatted(CREDIT_COLUMNS));

    private static final String LOT_COLUMNS = """
            l.lot_id, l.entry_seq, l.category AS lot_category, l.priority AS lot_priority, l.expires_at AS lot_expires_at,
            l.original_units, l.remaining_units, l.expired_units, l.created_at AS lot_created_at, l.reserved_units""";

    // A user's credit with every lot that has something left, and the lots named in :lot_ids (a
    // refund's, which may be used up): one row per lot, or one row with NULL lot columns.
    private static final String STATE = """
            SELECT %s, %s
            FROM credits c
            LEFT JOIN lots l ON l.user_id = c.user_id
                AND (l.remaining_units > 0 OR l.lot_id = ANY (CAST(:lot_ids AS uuid[])))
            WHERE c.user_id = :user_id""".formatted(CREDIT_COLUMNS, LOT_COLUMNS);

    static final Sql READ_STATE = Sql.named("read-state", STATE);

    // The user's row lock, taken before the state is read in the same transaction: every move of
    // the user that held it has committed, and the read after it (a new snapshot under READ
    // COMMITTED) sees all of them. One statement that locked and joined would not: after a lock
    // wait PostgreSQL re-reads the locked row but not the joined lots.
    static final Sql LOCK_CREDIT = Sql.named("lock-credit", """
            SELECT user_id FROM credits WHERE user_id = :user_id FOR UPDATE""");

    // DO UPDATE rather than DO NOTHING: under READ COMMITTED the loser of a race for a new user
    // then waits for the winner's row and gets it back from RETURNING, in the same statement. The
    // no-op SET leaves every value as the winner wrote it.
    static final Sql CREATE_CREDIT = Sql.named("create-credit", """
            INSERT INTO credits AS c (user_id, balance_units, held_units, created_at, updated_at)
            VALUES (:user_id, 0, 0, :now, :now)
            ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id
            RETURNING %s""".formatted(CREDIT_COLUMNS));

    // ---- Reads of many users at once (coalesced balance reads) ----

    static final Sql FIND_CREDITS = Sql.named("find-credits", """
            SELECT %s FROM credits c WHERE c.user_id = ANY (CAST(:user_ids AS varchar[]))""".formatted(CREDIT_COLUMNS));

    // CREATE_CREDIT for several users in one statement, in user_id order so that two such statements
    // never wait on each other in a cycle.
    static final Sql CREATE_CREDITS = Sql.named("create-credits", """
            INSERT INTO credits AS c (user_id, balance_units, held_units, created_at, updated_at)
            SELECT u.user_id, 0, 0, u.at, u.at
            FROM unnest(CAST(:user_ids AS varchar[]), CAST(:times AS timestamptz[])) AS u (user_id, at)
            ORDER BY u.user_id
            ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id
            RETURNING %s""".formatted(CREDIT_COLUMNS));

    static final Sql FIND_BY_IDEMPOTENCY = Sql.named("find-by-idempotency-key", """
            SELECT %s, fingerprint FROM ledger_entries
            WHERE caller = :caller AND operation = :type AND idempotency_key = :key""".formatted(ENTRY_COLUMNS));

    static final Sql FIND_PAYMENT = Sql.named("find-payment", """
            SELECT 1 AS credited FROM ledger_entries WHERE payment_reference = :payment_reference""");

    private static final String ENTRY_INSERT = """
            INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id,
                                        grant_id, drawn_lot_ids, drawn_units, category, priority, expires_at,
                                        payment_reference, memo, caller, idempotency_key, fingerprint, created_at, hold_id,
                                        operation, hash)
            SELECT CAST(:id AS uuid), :user_id, :entry_type, :amount, :balance_after, CAST(:reference AS varchar),
                   CAST(:reason AS varchar), CAST(:deduction_id AS uuid), CAST(:grant_id AS uuid),
                   CAST(:drawn_lot_ids AS uuid[]), CAST(:drawn_units AS bigint[]), CAST(:category AS varchar),
                   CAST(:priority AS smallint), CAST(:expires_at AS timestamptz), CAST(:payment_reference AS varchar),
                   CAST(:memo AS varchar), CAST(:caller AS varchar), CAST(:key AS varchar), CAST(:fingerprint AS char(64)),
                   :created_at, CAST(:hold_id AS uuid), CAST(:type AS varchar), CAST(:hash AS char(64))""";

    // A lot opens from its entry's row, taking the entry's seq as its place in the user's order.
    private static final String LOT_INSERT = """
            INSERT INTO lots (lot_id, user_id, entry_seq, category, priority, expires_at, original_units, remaining_units,
                              expired_units, created_at)
            SELECT id, user_id, seq, category, priority, expires_at, amount_units, amount_units, 0, created_at""";

    // The credit row as a change leaves it: balance, held part, time, summary, and the next revision.
    private static final String CREDIT_SET = """
            balance_units = :credit_balance, held_units = :held, updated_at = :updated_at, revision = revision + 1,
            paid_units = :paid, next_expiry_at = CAST(:next_expiry_at AS timestamptz),
            next_expiry_units = CAST(:next_expiry_units AS bigint),
            next_hold_expiry_at = CAST(:next_hold_expiry_at AS timestamptz), last_hash = CAST(:last_hash AS char(64)),
            low_alerted = COALESCE(CAST(:low_alerted AS boolean), low_alerted)""";

    private static final String LOT_UPDATE = """
            UPDATE lots SET remaining_units = changes.remaining, expired_units = changes.expired,
                            reserved_units = changes.reserved
            FROM unnest(CAST(:lot_ids AS uuid[]), CAST(:lot_remaining AS bigint[]), CAST(:lot_expired AS bigint[]),
                        CAST(:lot_reserved AS bigint[]))
                 AS changes (lot_id, remaining, expired, reserved)
            WHERE lots.lot_id = changes.lot_id""";

    /**
     * One move with one entry, decided on a state read without a lock, written in one statement:
     * an earlier entry under the key is returned instead (a replay takes no lock); otherwise the
     * credit row changes only while its revision is the one decided on (and, for a top-up, while
     * the payment is not yet in the ledger), and the lots and the entry change only with it. No
     * row back means "decide again under the lock". No ON CONFLICT on the ledger insert: a key
     * committed by a twin after this statement's snapshot raises unique_violation, which undoes
     * the whole statement and is then replayed.
     */
    static final Sql APPLY_MOVE = Sql.named("apply-move", """
            WITH earlier AS (
                SELECT %1$s, fingerprint FROM ledger_entries
                WHERE caller = :caller AND operation = :type AND idempotency_key = :key),
            changed AS (
                UPDATE credits SET %6$s
                WHERE user_id = :user_id AND revision = :revision AND NOT EXISTS (SELECT 1 FROM earlier)
                  AND (CAST(:payment_reference AS varchar) IS NULL OR NOT EXISTS (
                      SELECT 1 FROM ledger_entries WHERE payment_reference = :payment_reference))
                RETURNING user_id),
            drawn AS (
                %3$s AND EXISTS (SELECT 1 FROM changed)
                RETURNING lots.lot_id),
            inserted AS (
                %4$s
                FROM changed
                RETURNING %1$s),
            opened AS (
                %5$s FROM inserted WHERE :opens_lot
                RETURNING lot_id)
            SELECT true AS applied, %2$s, CAST(NULL AS char(64)) AS fingerprint FROM inserted
            UNION ALL
            SELECT false, %2$s, fingerprint FROM earlier""".formatted(ENTRY_COLUMNS, ENTRY_NAMES, LOT_UPDATE, ENTRY_INSERT,
            LOT_INSERT, CREDIT_SET));

    // The statements of a change written under the user's lock, in order: each entry (a lot after
    // the entry that opens it), the lots, the credit row.
    static final Sql INSERT_ENTRY = Sql.named("insert-entry", """
            WITH inserted AS (
                %s
                RETURNING %s),
            opened AS (
                %s FROM inserted WHERE :opens_lot
                RETURNING lot_id)
            SELECT %s FROM inserted""".formatted(ENTRY_INSERT, ENTRY_COLUMNS, LOT_INSERT, ENTRY_NAMES));

    static final Sql UPDATE_LOTS = Sql.named("update-lots", LOT_UPDATE);

    static final Sql UPDATE_CREDIT = Sql.named("update-credit", """
            UPDATE credits SET %s
            WHERE user_id = :user_id AND revision = :revision""".formatted(CREDIT_SET));

    // ---- A batch of moves of many users, written in one transaction (DeductionBatches) ----

    // The batch's users, locked in one order (by user_id) so that two batches, or a batch and a
    // single move, never wait on each other in a cycle.
    static final Sql LOCK_CREDITS = Sql.named("lock-credits", """
            SELECT user_id FROM credits WHERE user_id = ANY (CAST(:user_ids AS varchar[])) ORDER BY user_id FOR UPDATE""");

    // Each user's credit with every lot that has something left, as STATE gives it for one user.
    static final Sql READ_STATES = Sql.named("read-states", """
            SELECT %s, %s
            FROM credits c
            LEFT JOIN lots l ON l.user_id = c.user_id AND l.remaining_units > 0
            WHERE c.user_id = ANY (CAST(:user_ids AS varchar[]))""".formatted(CREDIT_COLUMNS, LOT_COLUMNS));

    // The entries already under the batch's idempotency identities.
    static final Sql FIND_BY_IDEMPOTENCY_KEYS = Sql.named("find-by-idempotency-keys", """
            SELECT %s, fingerprint, caller, operation, idempotency_key FROM ledger_entries
            WHERE (caller, operation, idempotency_key) IN (
                SELECT * FROM unnest(CAST(:callers AS varchar[]), CAST(:types AS varchar[]), CAST(:keys AS varchar[])))"""
            .formatted(ENTRY_COLUMNS));

    // Every entry of the batch in the order decided (so each user's seq follows its moves), the lots
    // as the batch leaves them, and each user's credit row once: one statement. Entries that open a
    // lot never come here. Each entry's draws arrive as the text form of its own array.
    static final Sql WRITE_BATCH = Sql.named("write-batch", """
            WITH inserted AS (
                INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason,
                                            deduction_id, grant_id, drawn_lot_ids, drawn_units, caller, idempotency_key,
                                            fingerprint, created_at, hold_id, operation, hash)
                SELECT e.id, e.user_id, e.type, e.amount, e.balance_after, e.reference, e.reason, e.deduction_id, e.grant_id,
                       CAST(e.drawn_lot_ids AS uuid[]), CAST(e.drawn_units AS bigint[]), e.caller, e.key, e.fingerprint,
                       e.created_at, e.hold_id, e.operation, e.hash
                FROM unnest(CAST(:e_ids AS uuid[]), CAST(:e_users AS varchar[]), CAST(:e_types AS varchar[]),
                            CAST(:e_amounts AS bigint[]), CAST(:e_balances AS bigint[]), CAST(:e_references AS varchar[]),
                            CAST(:e_reasons AS varchar[]), CAST(:e_deductions AS uuid[]), CAST(:e_grants AS uuid[]),
                            CAST(:e_drawn_lot_ids AS text[]), CAST(:e_drawn_units AS text[]), CAST(:e_callers AS varchar[]),
                            CAST(:e_keys AS varchar[]), CAST(:e_fingerprints AS char(64)[]), CAST(:e_times AS timestamptz[]),
                            CAST(:e_holds AS uuid[]), CAST(:e_operations AS varchar[]), CAST(:e_hashes AS char(64)[]))
                     WITH ORDINALITY AS e (id, user_id, type, amount, balance_after, reference, reason, deduction_id,
                                           grant_id, drawn_lot_ids, drawn_units, caller, key, fingerprint, created_at, hold_id,
                                           operation, hash, n)
                ORDER BY e.n
                RETURNING 1),
            drawn AS (
                %s
                RETURNING 1)
            UPDATE credits SET balance_units = x.balance, held_units = x.held, updated_at = x.updated_at,
                               revision = credits.revision + 1, paid_units = x.paid, next_expiry_at = x.next_at,
                               next_expiry_units = x.next_units, next_hold_expiry_at = x.next_hold_at, last_hash = x.last_hash,
                               low_alerted = COALESCE(x.low_alerted, credits.low_alerted)
            FROM unnest(CAST(:c_users AS varchar[]), CAST(:c_balances AS bigint[]), CAST(:c_held AS bigint[]),
                        CAST(:c_times AS timestamptz[]), CAST(:c_paid AS bigint[]), CAST(:c_next_at AS timestamptz[]),
                        CAST(:c_next_units AS bigint[]), CAST(:c_next_hold_at AS timestamptz[]), CAST(:c_last_hash AS char(64)[]),
                        CAST(:c_low_alerted AS boolean[]))
                 AS x (user_id, balance, held, updated_at, paid, next_at, next_units, next_hold_at, last_hash, low_alerted)
            WHERE credits.user_id = x.user_id""".formatted(LOT_UPDATE));

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
            SELECT user_id FROM deduction_refunds
            WHERE deduction_id = CAST(:deduction_id AS uuid) FOR UPDATE""");

    // The deduction and its earlier refunds, oldest first.
    static final Sql REFUND_HISTORY = Sql.named("refund-history", """
            SELECT %s FROM ledger_entries
            WHERE id = CAST(:deduction_id AS uuid) OR (deduction_id = CAST(:deduction_id AS uuid) AND type = 'refund')
            ORDER BY seq""".formatted(ENTRY_COLUMNS));

    // The CHECK on deduction_refunds refuses an over-refund even if the arithmetic were wrong.
    static final Sql ADD_REFUNDED = Sql.named("add-refunded", """
            UPDATE deduction_refunds SET refunded_units = refunded_units + :amount
            WHERE deduction_id = CAST(:deduction_id AS uuid)""");

    // seq < :before with before = Long.MAX_VALUE for the first page keeps this one statement.
    static final Sql HISTORY = Sql.named("history", """
            SELECT %s FROM ledger_entries
            WHERE user_id = :user_id AND seq < :before ORDER BY seq DESC LIMIT :rows""".formatted(ENTRY_COLUMNS));

    // Every lot of the user; the listing's order and paging are the domain's (LotPage.of).
    static final Sql LOTS = Sql.named("lots", """
            SELECT l.user_id, %s FROM lots l WHERE l.user_id = :user_id""".formatted(LOT_COLUMNS));

    // Lots with an expiry owed by :now and an instant after :since (none: from the beginning),
    // soonest first: the sweeper's candidates. The range keeps the scan to recent instants, however
    // many lots expired long ago.
    // Holds and lots with an expiry owed by :now (a lot: something left that no hold reserves) and
    // an instant after :since (none: from the beginning), soonest first: the sweeper's candidates.
    static final Sql OWED_EXPIRIES = Sql.named("owed-expiries", """
            (SELECT user_id, expires_at FROM lots
             WHERE expires_at IS NOT NULL AND expires_at <= :now AND remaining_units > reserved_units
               AND (CAST(:since AS timestamptz) IS NULL OR expires_at > :since)
             ORDER BY expires_at LIMIT :rows)
            UNION ALL
            (SELECT user_id, expires_at FROM holds
             WHERE status = 'active' AND expires_at <= :now AND (CAST(:since AS timestamptz) IS NULL OR expires_at > :since)
             ORDER BY expires_at LIMIT :rows)
            ORDER BY expires_at LIMIT :rows""");

    // ---- Holds ----

    private static final String HOLD_COLUMNS = """
            h.hold_id, h.user_id, h.entry_seq, h.amount_units, h.reference, CAST(h.reserved_lot_ids AS text) AS reserved_lot_ids,
            CAST(h.reserved_units AS text) AS reserved_units, h.expires_at, h.created_at, h.status, h.captured_units,
            h.resolved_at, h.deduction_id""";

    // A user's holds stored as active (some may be owed their expiry), oldest first.
    static final Sql ACTIVE_HOLDS = Sql.named("active-holds", """
            SELECT %s FROM holds h WHERE h.user_id = :user_id AND h.status = 'active' ORDER BY h.entry_seq"""
            .formatted(HOLD_COLUMNS));

    // The active holds of a batch's users.
    static final Sql ACTIVE_HOLDS_OF = Sql.named("active-holds-of", """
            SELECT %s FROM holds h WHERE h.user_id = ANY (CAST(:user_ids AS varchar[])) AND h.status = 'active'
            ORDER BY h.entry_seq""".formatted(HOLD_COLUMNS));

    static final Sql FIND_HOLD = Sql.named("find-hold", """
            SELECT %s FROM holds h WHERE h.hold_id = CAST(:hold_id AS uuid)""".formatted(HOLD_COLUMNS));

    // A page of a user's holds, newest first, strictly before :before; :active_from narrows by what a
    // read at that instant shows: 'active' = stored active and not yet expired, 'expired' = expired or
    // owed its expiry, others as stored.
    static final Sql HOLDS = Sql.named("holds", """
            SELECT %s FROM holds h
            WHERE h.user_id = :user_id AND h.entry_seq < :before
              AND (CAST(:status AS varchar) IS NULL
                   OR (:status = 'active' AND h.status = 'active' AND h.expires_at > :now)
                   OR (:status = 'expired' AND (h.status = 'expired' OR (h.status = 'active' AND h.expires_at <= :now)))
                   OR (:status NOT IN ('active', 'expired') AND h.status = :status))
            ORDER BY h.entry_seq DESC LIMIT :rows""".formatted(HOLD_COLUMNS));

    // A hold is placed from its entry's row, taking the entry's seq as its place.
    static final Sql INSERT_HOLD = Sql.named("insert-hold", """
            INSERT INTO holds (hold_id, user_id, entry_seq, amount_units, reference, reserved_lot_ids, reserved_units,
                               expires_at, created_at, status)
            SELECT id, user_id, seq, amount_units, reference, CAST(:reserved_lot_ids AS uuid[]),
                   CAST(:reserved_units AS bigint[]), :expires_at, created_at, 'active'
            FROM ledger_entries WHERE id = CAST(:hold_id AS uuid) AND type = 'hold'""");

    static final Sql FIND_HOLDS = Sql.named("find-holds", """
            SELECT %s FROM holds h WHERE h.hold_id = ANY (CAST(:hold_ids AS uuid[]))""".formatted(HOLD_COLUMNS));

    // INSERT_HOLD for a batch's holds, after the batch's entries; each hold's reservations arrive as
    // the text form of its own arrays.
    static final Sql INSERT_HOLDS = Sql.named("insert-holds", """
            INSERT INTO holds (hold_id, user_id, entry_seq, amount_units, reference, reserved_lot_ids, reserved_units,
                               expires_at, created_at, status)
            SELECT e.id, e.user_id, e.seq, e.amount_units, e.reference, CAST(h.lot_ids AS uuid[]), CAST(h.units AS bigint[]),
                   h.expires_at, e.created_at, 'active'
            FROM unnest(CAST(:h_ids AS uuid[]), CAST(:h_lot_ids AS text[]), CAST(:h_units AS text[]),
                        CAST(:h_expires AS timestamptz[])) AS h (hold_id, lot_ids, units, expires_at)
            JOIN ledger_entries e ON e.id = h.hold_id AND e.type = 'hold'""");

    // END_HOLD for a batch's holds, each as the batch leaves it.
    static final Sql END_HOLDS = Sql.named("end-holds", """
            UPDATE holds SET status = x.status, captured_units = x.captured, resolved_at = x.resolved_at,
                             deduction_id = x.deduction_id
            FROM unnest(CAST(:x_ids AS uuid[]), CAST(:x_status AS varchar[]), CAST(:x_captured AS bigint[]),
                        CAST(:x_resolved AS timestamptz[]), CAST(:x_deductions AS uuid[]))
                 AS x (hold_id, status, captured, resolved_at, deduction_id)
            WHERE holds.hold_id = x.hold_id AND holds.status = 'active'""");

    // A hold ends once: only while it is still active (the holds_end_once trigger refuses the rest).
    static final Sql END_HOLD = Sql.named("end-hold", """
            UPDATE holds SET status = :status, captured_units = CAST(:captured AS bigint), resolved_at = :resolved_at,
                             deduction_id = CAST(:deduction_id AS uuid)
            WHERE hold_id = CAST(:hold_id AS uuid) AND status = 'active'""");

    // ---- Alerts and the outbox ----

    // A move's events, and a delivery for each endpoint that wants one of them now: in the move's
    // transaction, so an event and its deliveries exist if and only if the move committed.
    static final Sql INSERT_EVENTS = Sql.named("insert-events", """
            WITH event AS (
                INSERT INTO webhook_events (id, type, user_id, balance_units, available_units, threshold_units, entry_id,
                                            hold_id, created_at)
                SELECT * FROM unnest(CAST(:ev_ids AS uuid[]), CAST(:ev_types AS varchar[]), CAST(:ev_users AS varchar[]),
                                     CAST(:ev_balances AS bigint[]), CAST(:ev_available AS bigint[]),
                                     CAST(:ev_thresholds AS bigint[]), CAST(:ev_entries AS uuid[]), CAST(:ev_holds AS uuid[]),
                                     CAST(:ev_times AS timestamptz[]))
                RETURNING id, type, created_at)
            INSERT INTO webhook_deliveries (event_id, endpoint_id, next_attempt_at, created_at)
            SELECT event.id, e.id, event.created_at, event.created_at
            FROM event JOIN webhook_endpoints e ON e.deleted_at IS NULL AND event.type = ANY (e.events)""");

    static final Sql FIND_THRESHOLD = Sql.named("find-threshold", """
            SELECT low_balance_units FROM credits WHERE user_id = :user_id""");

    // Setting or removing a threshold forgets a balance.low sent before: crossings count from here.
    // The revision steps, so a move decided on the old threshold without the lock is decided again.
    static final Sql SET_THRESHOLD = Sql.named("set-threshold", """
            UPDATE credits SET low_balance_units = CAST(:threshold AS bigint), low_alerted = false, revision = revision + 1
            WHERE user_id = :user_id""");

    // The sweeper claims a user only if no move or other instance holds it: that one writes the
    // expiries itself, under the same lock, so none is written twice.
    static final Sql CLAIM_CREDIT = Sql.named("claim-credit", """
            SELECT user_id FROM credits WHERE user_id = :user_id FOR UPDATE SKIP LOCKED""");

    private LedgerSql() {
    }
}
