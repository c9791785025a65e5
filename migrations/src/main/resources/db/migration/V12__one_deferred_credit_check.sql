-- V11 added the last-entry check to the credit row's deferred trigger beside check_credit_in_lots,
-- which read the credit row again: two reads of the row on every move's commit. Here the check
-- moves into check_credit_in_lots, on the row it already read, so the trigger is one call again;
-- a lot or hold changed alone (lots_sum_to_balance, holds_sum_to_held) is now checked against the
-- last entry too.
CREATE OR REPLACE FUNCTION check_credit_in_lots(credit_user varchar) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    stored       credits%ROWTYPE;
    in_lots      record;
    in_holds     record;
    last_balance bigint;
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
    SELECT balance_after_units INTO last_balance FROM ledger_entries
    WHERE user_id = credit_user ORDER BY seq DESC LIMIT 1;
    IF stored.balance_units <> COALESCE(last_balance, 0) THEN
        RAISE EXCEPTION 'the balance of a credit differs from the balance_after of its last entry'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION credits_balance_in_lots() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM check_credit_in_lots(NEW.user_id);
    RETURN NULL;
END
$$;
