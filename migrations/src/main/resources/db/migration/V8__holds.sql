-- Holds (api.md v2, "Holds"): money reserved from specific lots until captured, released or expired.

-- The part of what is left of a lot that active holds reserve: still in the balance, neither
-- spendable nor taken by the lot's expiry until the hold gives it back.
ALTER TABLE lots ADD COLUMN reserved_units bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT lots_reserved_within_remaining CHECK (reserved_units >= 0 AND reserved_units <= remaining_units);

CREATE TABLE holds (
    hold_id          uuid         NOT NULL,
    user_id          varchar(255) NOT NULL,
    -- The hold entry's place in the ledger: the listing's order (newest first) and its cursor.
    entry_seq        bigint       NOT NULL,
    amount_units     bigint       NOT NULL,
    reference        varchar(255),
    -- The lots it reserved from, in burn-down order at the time of the hold, and how much of each.
    reserved_lot_ids uuid[]       NOT NULL,
    reserved_units   bigint[]     NOT NULL,
    expires_at       timestamptz  NOT NULL,
    created_at       timestamptz  NOT NULL,
    status           varchar(16)  NOT NULL,
    captured_units   bigint,
    resolved_at      timestamptz,
    deduction_id     uuid,
    CONSTRAINT holds_pkey PRIMARY KEY (hold_id),
    CONSTRAINT holds_entry_fk FOREIGN KEY (hold_id) REFERENCES ledger_entries (id),
    CONSTRAINT holds_user_fk FOREIGN KEY (user_id) REFERENCES credits (user_id),
    CONSTRAINT holds_deduction_fk FOREIGN KEY (deduction_id) REFERENCES ledger_entries (id),
    CONSTRAINT holds_amount_positive CHECK (amount_units > 0),
    CONSTRAINT holds_reserved_whole CHECK (
        cardinality(reserved_lot_ids) = cardinality(reserved_units) AND units_total(reserved_units) = amount_units),
    CONSTRAINT holds_status_known CHECK (status IN ('active', 'captured', 'released', 'expired')),
    CONSTRAINT holds_resolved_when_ended CHECK ((status = 'active') = (resolved_at IS NULL)),
    CONSTRAINT holds_capture_whole CHECK (
        (status = 'captured') = (captured_units IS NOT NULL) AND (captured_units IS NULL) = (deduction_id IS NULL)
        AND (captured_units IS NULL OR (captured_units > 0 AND captured_units <= amount_units)))
);
CREATE INDEX holds_user ON holds (user_id, entry_seq DESC);
-- What the sweeper looks for: active holds by the instant they expire.
CREATE INDEX holds_expiring ON holds (expires_at) WHERE status = 'active';

-- A hold ends once: an ended hold never changes again, and what it was placed with never changes.
CREATE FUNCTION holds_end_once() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'active' THEN
        RAISE EXCEPTION 'a hold that has ended does not change again'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'holds_end_once';
    END IF;
    IF (NEW.hold_id, NEW.user_id, NEW.entry_seq, NEW.amount_units, NEW.reference, NEW.reserved_lot_ids, NEW.reserved_units,
        NEW.expires_at, NEW.created_at)
       IS DISTINCT FROM (OLD.hold_id, OLD.user_id, OLD.entry_seq, OLD.amount_units, OLD.reference, OLD.reserved_lot_ids,
                         OLD.reserved_units, OLD.expires_at, OLD.created_at) THEN
        RAISE EXCEPTION 'a hold keeps what it was placed with'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'holds_end_once';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER holds_end_once BEFORE UPDATE ON holds FOR EACH ROW EXECUTE FUNCTION holds_end_once();

DO $grants$
DECLARE
    runtime text := '${runtime_role}';
BEGIN
    IF runtime <> current_user THEN
        EXECUTE format('GRANT UPDATE (remaining_units, expired_units, reserved_units) ON lots TO %I', runtime);
        EXECUTE format('GRANT UPDATE (status, captured_units, resolved_at, deduction_id) ON holds TO %I', runtime);
    END IF;
END
$grants$;

-- Entries of holds: a hold names itself, its release and its capture (a deduction) name it.
ALTER TABLE ledger_entries ADD COLUMN hold_id uuid,
    -- The operation (route) an idempotency key is scoped to: a capture writes a deduction, a release a
    -- hold_release, so the type alone no longer tells the route.
    ADD COLUMN operation varchar(16);
UPDATE ledger_entries SET operation = type WHERE caller IS NOT NULL;
CREATE UNIQUE INDEX ledger_entries_idempotency_by_operation ON ledger_entries (caller, operation, idempotency_key);
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_idempotency_unique;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_idempotency_unique
    UNIQUE USING INDEX ledger_entries_idempotency_by_operation;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_operation_known CHECK (
    operation IN ('grant', 'topup', 'deduction', 'refund', 'hold', 'capture', 'release'));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_hold_entry_fk FOREIGN KEY (hold_id) REFERENCES holds (hold_id)
    DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_type_known;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_type_known
    CHECK (type IN ('grant', 'topup', 'deduction', 'refund', 'expiry', 'hold', 'hold_release'));
-- A key is all four parts or none; only the service's own entries (an expiry, an expired hold's
-- release) have none.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_key_whole;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_key_whole CHECK (
    (caller IS NULL) = (idempotency_key IS NULL) AND (caller IS NULL) = (fingerprint IS NULL)
    AND (caller IS NULL) = (operation IS NULL)
    AND (caller IS NOT NULL OR type = 'expiry' OR (type = 'hold_release' AND reason = 'expired')));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_hold_id CHECK (
    CASE type WHEN 'hold' THEN hold_id = id
              WHEN 'hold_release' THEN hold_id IS NOT NULL
              WHEN 'deduction' THEN true
              ELSE hold_id IS NULL END);
-- Draws add up to the amount, now also for a hold (what it reserved) and its release (what it gave
-- back). The common single draw is compared directly, without the function call.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_drawn_sum;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_drawn_sum CHECK (
    CASE WHEN type IN ('deduction', 'refund', 'hold', 'hold_release') THEN
             CASE WHEN cardinality(drawn_units) = 1 THEN drawn_units[1] = amount_units
                  ELSE units_total(drawn_units) = amount_units END
         ELSE cardinality(drawn_units) = 0 END);

-- The soonest instant an active hold expires, stored beside the balance like the lots' next expiry:
-- a balance read is the credit row alone only before both.
ALTER TABLE credits ADD COLUMN next_hold_expiry_at timestamptz;

-- The deferred check of V7, now also: held = what the lots have reserved = Σ active holds, and the
-- next hold expiry is the active holds' soonest. The holds are read only when something is held or
-- a hold expiry is stored (a hold written without them is checked by its own trigger, below).
CREATE OR REPLACE FUNCTION check_credit_in_lots(credit_user varchar) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    stored   credits%ROWTYPE;
    in_lots  record;
    in_holds record;
BEGIN
    SELECT * INTO stored FROM credits WHERE user_id = credit_user;
    WITH open AS (SELECT remaining_units, reserved_units, category, expires_at FROM lots
                  WHERE user_id = credit_user AND remaining_units > 0),
         soonest AS (SELECT min(expires_at) AS at FROM open WHERE remaining_units > reserved_units)
    SELECT COALESCE(sum(remaining_units), 0) AS balance,
           COALESCE(sum(reserved_units), 0) AS reserved,
           COALESCE(sum(remaining_units) FILTER (WHERE category = 'paid'), 0) AS paid,
           (SELECT at FROM soonest) AS next_at,
           sum(remaining_units - reserved_units) FILTER (WHERE expires_at = (SELECT at FROM soonest)) AS next_units
    INTO in_lots FROM open;
    IF stored.balance_units IS DISTINCT FROM in_lots.balance OR stored.paid_units IS DISTINCT FROM in_lots.paid
       OR stored.held_units IS DISTINCT FROM in_lots.reserved
       OR stored.next_expiry_at IS DISTINCT FROM in_lots.next_at
       OR stored.next_expiry_units IS DISTINCT FROM in_lots.next_units THEN
        RAISE EXCEPTION 'the balance of a credit, or its paid part, held part or next expiry, differs from what its lots hold'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
    END IF;
    IF stored.held_units > 0 OR stored.next_hold_expiry_at IS NOT NULL THEN
        SELECT COALESCE(sum(amount_units), 0) AS held, min(expires_at) AS next_at INTO in_holds
        FROM holds WHERE user_id = credit_user AND status = 'active';
        IF stored.held_units IS DISTINCT FROM in_holds.held OR stored.next_hold_expiry_at IS DISTINCT FROM in_holds.next_at THEN
            RAISE EXCEPTION 'the held part of a credit, or its next hold expiry, differs from its active holds'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
        END IF;
    END IF;
END
$$;

-- A hold placed or ended is checked at commit with its credit, whether or not the credit row was
-- written in the same transaction (a hold is rare beside deductions, so checking it always is cheap).
CREATE FUNCTION holds_sum_to_held() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    stored  credits%ROWTYPE;
    active  record;
BEGIN
    SELECT * INTO stored FROM credits WHERE user_id = NEW.user_id;
    SELECT COALESCE(sum(amount_units), 0) AS held, min(expires_at) AS next_at INTO active
    FROM holds WHERE user_id = NEW.user_id AND status = 'active';
    IF stored.held_units IS DISTINCT FROM active.held OR stored.next_hold_expiry_at IS DISTINCT FROM active.next_at THEN
        RAISE EXCEPTION 'the held part of a credit, or its next hold expiry, differs from its active holds'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER holds_sum_to_held
    AFTER INSERT OR UPDATE ON holds
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION holds_sum_to_held();

-- A lot's reservation changed alone is checked like its remainder (V7's lots_sum_to_balance).
DROP TRIGGER lots_sum_to_balance ON lots;
CREATE CONSTRAINT TRIGGER lots_sum_to_balance
    AFTER INSERT OR UPDATE OF remaining_units, reserved_units ON lots
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lots_sum_to_balance();
