-- The guards on lots and on what entries carry, installed once V6 has filled the columns for the
-- entries v1 wrote (it replays each user's history through the burn-down).

-- A grant or topup carries its lot's terms; nothing else does.
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_lot_terms CHECK (
    (type IN ('grant', 'topup')) = (category IS NOT NULL)
    AND (category IS NULL) = (priority IS NULL)
    AND (category IS NOT NULL OR expires_at IS NULL));
-- A grant or topup is its own lot; an expiry names the lot that expired; nothing else names one.
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_grant_id CHECK (
    (type IN ('grant', 'topup', 'expiry')) = (grant_id IS NOT NULL)
    AND (type NOT IN ('grant', 'topup') OR grant_id = id));
-- A deduction's draws (a refund's give-backs) add up to its amount; other entries draw nothing.
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_drawn_sum CHECK (
    CASE WHEN type IN ('deduction', 'refund') THEN units_total(drawn_units) = amount_units
         ELSE cardinality(drawn_units) = 0 END);

-- balance = Σ what is left of the user's lots, and the summary beside it (paid part, soonest expiry
-- and what expires then) is what the lots say, checked by PostgreSQL at commit, whatever the
-- statements did: deferred, so a transaction may change the lots and the balance in any order. It
-- reads the rows as they are at commit (not the trigger's NEW), so a balance written twice in one
-- transaction is checked against its final values.
CREATE FUNCTION check_credit_in_lots(credit_user varchar) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    stored  credits%ROWTYPE;
    in_lots record;
BEGIN
    SELECT * INTO stored FROM credits WHERE user_id = credit_user;
    WITH open AS (SELECT remaining_units, category, expires_at FROM lots
                  WHERE user_id = credit_user AND remaining_units > 0),
         soonest AS (SELECT min(expires_at) AS at FROM open)
    SELECT COALESCE(sum(remaining_units), 0) AS balance,
           COALESCE(sum(remaining_units) FILTER (WHERE category = 'paid'), 0) AS paid,
           (SELECT at FROM soonest) AS next_at,
           sum(remaining_units) FILTER (WHERE expires_at = (SELECT at FROM soonest)) AS next_units
    INTO in_lots FROM open;
    IF stored.balance_units IS DISTINCT FROM in_lots.balance OR stored.paid_units IS DISTINCT FROM in_lots.paid
       OR stored.next_expiry_at IS DISTINCT FROM in_lots.next_at
       OR stored.next_expiry_units IS DISTINCT FROM in_lots.next_units THEN
        RAISE EXCEPTION 'the balance of a credit, or its paid part or next expiry, differs from what its lots hold'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
    END IF;
END
$$;

-- Any write of a credit row is checked, whichever columns it set.
CREATE FUNCTION credits_balance_in_lots() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM check_credit_in_lots(NEW.user_id);
    RETURN NULL;
END
$$;

-- A lot changed in a transaction that also wrote its user's credit row is checked by that row's
-- own trigger (every move writes both): checking it here too would only do the same work twice.
-- A lot changed alone is checked here.
CREATE FUNCTION lots_sum_to_balance() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM credits WHERE user_id = NEW.user_id AND xmin = xid(pg_current_xact_id())) THEN
        PERFORM check_credit_in_lots(NEW.user_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER credits_balance_in_lots
    AFTER INSERT OR UPDATE ON credits
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION credits_balance_in_lots();

CREATE CONSTRAINT TRIGGER lots_sum_to_balance
    AFTER INSERT OR UPDATE OF remaining_units ON lots
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lots_sum_to_balance();
