-- (b) ceiling for a deduction: the service's own statement (conditional UPDATE feeding the
-- ledger INSERT in one CTE), autocommit, on a random one of many users.
\set uid random(1, :users)
WITH changed AS (
    UPDATE credits SET balance_units = balance_units - 1, updated_at = now()
    WHERE user_id = 'bench_user_' || :uid AND balance_units - held_units >= 1
    RETURNING user_id, balance_units)
INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason, caller,
                            idempotency_key, fingerprint, created_at)
SELECT gen_random_uuid(), changed.user_id, 'deduction', 1, changed.balance_units, 'bench', NULL, 'pgbench',
       gen_random_uuid()::text, repeat('0', 64), now()
FROM changed
RETURNING seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, created_at;
