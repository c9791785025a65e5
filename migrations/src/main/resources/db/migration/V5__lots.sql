-- Lots (api.md v2, "Lots and burn-down"): each grant and top-up opens a lot, and every deduction
-- draws from lots in the burn-down order, recording where it drew from. The lot rows are what the
-- burn-down reads and updates; the entries' drawn_from is the record of it.
CREATE TABLE lots (
    -- A lot is identified by the entry that opened it.
    lot_id          uuid         NOT NULL,
    user_id         varchar(255) NOT NULL,
    -- The opening entry's seq: the order in which the user's lots were written, the last
    -- tie-breaker of the burn-down order.
    entry_seq       bigint       NOT NULL,
    category        varchar(16)  NOT NULL,
    priority        smallint     NOT NULL,
    expires_at      timestamptz,
    original_units  bigint       NOT NULL,
    remaining_units bigint       NOT NULL,
    -- What expiry has taken from it so far (money refunded into an expired lot expires again).
    expired_units   bigint       NOT NULL DEFAULT 0,
    created_at      timestamptz  NOT NULL,
    CONSTRAINT lots_pkey PRIMARY KEY (lot_id),
    CONSTRAINT lots_entry_fk FOREIGN KEY (lot_id) REFERENCES ledger_entries (id),
    CONSTRAINT lots_user_fk FOREIGN KEY (user_id) REFERENCES credits (user_id),
    CONSTRAINT lots_category_known CHECK (category IN ('promotional', 'paid')),
    CONSTRAINT lots_priority_range CHECK (priority BETWEEN 0 AND 100),
    CONSTRAINT lots_original_positive CHECK (original_units > 0),
    -- What is left is never negative, and never more than the lot started with: what was spent
    -- and not given back (original - remaining - expired) is never negative either.
    CONSTRAINT lots_remaining_within_original CHECK (
        remaining_units >= 0 AND expired_units >= 0 AND remaining_units + expired_units <= original_units)
);

-- Every move changes what is left of a lot, so no index may cover remaining_units, not even in a
-- partial index's predicate: the update then stays HOT (no new index entries, no index bloat),
-- which is most of what a deduction writes. Free space on each page leaves room for HOT versions.
ALTER TABLE lots SET (fillfactor = 80);
-- A user's lots: what every move, balance read and listing loads (filtering what is left).
CREATE INDEX lots_user ON lots (user_id);
-- Lots that expire, by instant: the sweeper's scan (which filters what is left).
CREATE INDEX lots_expiring ON lots (expires_at) WHERE expires_at IS NOT NULL;

-- The service updates what is left of a lot (V3's default privileges give SELECT and INSERT only).
DO $grants$
DECLARE
    runtime text := '${runtime_role}';
BEGIN
    IF runtime <> current_user THEN
        EXECUTE format('GRANT UPDATE (remaining_units, expired_units) ON lots TO %I', runtime);
    END IF;
END
$grants$;

-- What each entry type carries (api.md v2, "Ledger entry types"). New columns are filled for the
-- entries v1 wrote by the next migration, which replays each user's history through the burn-down.
ALTER TABLE ledger_entries
    -- grant and topup: its own id (it is the lot); expiry: the lot that expired.
    ADD COLUMN grant_id          uuid,
    -- Where a deduction drew from, or a refund gave back to, in order: parallel arrays.
    ADD COLUMN drawn_lot_ids     uuid[]       NOT NULL DEFAULT '{}',
    ADD COLUMN drawn_units       bigint[]     NOT NULL DEFAULT '{}',
    -- The terms a grant or topup opened its lot with.
    ADD COLUMN category          varchar(16),
    ADD COLUMN priority          smallint,
    ADD COLUMN expires_at        timestamptz,
    ADD COLUMN payment_reference varchar(255),
    ADD COLUMN memo              varchar(255),
    -- Entries the service writes on its own (expiry) answer to no caller and carry no key.
    ALTER COLUMN caller DROP NOT NULL,
    ALTER COLUMN idempotency_key DROP NOT NULL,
    ALTER COLUMN fingerprint DROP NOT NULL;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_type_known;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_type_known
    CHECK (type IN ('grant', 'topup', 'deduction', 'refund', 'expiry'));
-- A key is all three parts or none, and only the service's own entries have none.
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_key_whole CHECK (
    (caller IS NULL) = (idempotency_key IS NULL) AND (caller IS NULL) = (fingerprint IS NULL)
    AND (caller IS NOT NULL OR type = 'expiry'));
-- One payment is credited once, across all users and callers.
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_payment_unique UNIQUE (payment_reference);
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_payment_only_on_topups
    CHECK ((type = 'topup') = (payment_reference IS NOT NULL));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_drawn_parallel
    CHECK (cardinality(drawn_lot_ids) = cardinality(drawn_units));

-- Counts the moves of a user. A move decided on a state read without a lock is written only if
-- the revision is still the one it read, so what was decided on is what is changed.
ALTER TABLE credits ADD COLUMN revision bigint NOT NULL DEFAULT 0;

-- What the lots add up to besides the balance (the domain's LotSummary), written with every move, so
-- a balance read is the credit row alone until next_expiry_at; from that instant on it reads the lots.
ALTER TABLE credits
    ADD COLUMN paid_units        bigint NOT NULL DEFAULT 0,
    ADD COLUMN next_expiry_at    timestamptz,
    ADD COLUMN next_expiry_units bigint,
    ADD CONSTRAINT credits_paid_within_balance CHECK (paid_units >= 0 AND paid_units <= balance_units),
    ADD CONSTRAINT credits_next_expiry_whole CHECK (
        (next_expiry_at IS NULL) = (next_expiry_units IS NULL) AND (next_expiry_units IS NULL OR next_expiry_units > 0));

-- Refunds look up the earlier refunds of their deduction.
CREATE INDEX ledger_entries_deduction ON ledger_entries (deduction_id) WHERE deduction_id IS NOT NULL;

-- The sum of an entry's drawn_units, for the CHECK that they add up to its amount. A loop, not
-- SELECT sum(...) FROM unnest(...): a SQL function with a FROM is not inlined, and planning its query
-- on every ledger insert cost about a tenth of a deduction's database time.
CREATE FUNCTION units_total(units bigint[]) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    total numeric := 0;
    unit  bigint;
BEGIN
    FOREACH unit IN ARRAY units LOOP
        total := total + unit;
    END LOOP;
    RETURN total;
END
$$;
