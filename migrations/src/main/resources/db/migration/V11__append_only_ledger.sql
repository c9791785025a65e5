-- Every entry is in its user's hash chain from here on (V10 filled the earlier ones).
ALTER TABLE ledger_entries ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT ledger_entries_hash_hex CHECK (hash ~ '^[0-9a-f]{64}$');
ALTER TABLE credits ADD CONSTRAINT credits_last_hash_hex CHECK (last_hash ~ '^[0-9a-f]{64}$');

-- Append-only, whoever asks: an UPDATE, DELETE or TRUNCATE of ledger entries fails with an error.
-- Only the table's owner (the migration role, never the service's runtime role) could switch this
-- off; a migration that must rewrite entries disables it explicitly, in its own transaction.
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();

-- The running balance: the balance_after of each entry is that of the previous entry of its user plus or minus its
-- amount by its type (a hold and its release leave it). A row trigger sees the rows earlier in the
-- same statement, so a batch that writes several entries of one user is checked entry by entry.
CREATE FUNCTION ledger_entries_follow_balance() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    previous bigint;
    moved    bigint;
BEGIN
    SELECT balance_after_units INTO previous FROM ledger_entries
    WHERE user_id = NEW.user_id ORDER BY seq DESC LIMIT 1;
    -- Computed apart: PL/pgSQL would end an IF condition at the first THEN, the CASE's own.
    moved := CASE WHEN NEW.type IN ('deduction', 'expiry') THEN -NEW.amount_units
                  WHEN NEW.type IN ('hold', 'hold_release') THEN 0
                  ELSE NEW.amount_units END;
    IF NEW.balance_after_units <> COALESCE(previous, 0) + moved THEN
        RAISE EXCEPTION 'the balance_after of an entry does not follow from the previous entry of its user'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_running_balance';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_entries_running_balance BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_follow_balance();

-- At commit, the balance of a credit is the balance_after of its last entry (added to the deferred check of V8), so
-- "balance = Σ ledger" is PostgreSQL's to enforce, not only the statements'.
CREATE OR REPLACE FUNCTION credits_balance_in_lots() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    last_balance bigint;
BEGIN
    PERFORM check_credit_in_lots(NEW.user_id);
    SELECT balance_after_units INTO last_balance FROM ledger_entries
    WHERE user_id = NEW.user_id ORDER BY seq DESC LIMIT 1;
    IF (SELECT balance_units FROM credits WHERE user_id = NEW.user_id) <> COALESCE(last_balance, 0) THEN
        RAISE EXCEPTION 'the balance of a credit differs from the balance_after of its last entry'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'credits_balance_in_lots';
    END IF;
    RETURN NULL;
END
$$;
