-- (b) ceiling for a deduction: the service's write (conditional UPDATE of the credit, its lot and the
-- ledger INSERT in one CTE; the service also reads the lots first), autocommit, on a random user of
-- :users named :prefix<n>. Also (c) one hot user (users=1: every transaction queues on one row lock)
-- and (e) the five-lot users (prefix=bench5_user_; the lot drawn is the first in burn-down order,
-- here the lowest priority).
\set uid random(1, :users)
WITH changed AS (
    UPDATE credits SET balance_units = balance_units - 1, updated_at = now(), revision = revision + 1
    WHERE user_id = CAST(:prefix AS text) || :uid AND balance_units - held_units >= 1
    RETURNING user_id, balance_units),
drawn AS (
    UPDATE lots SET remaining_units = remaining_units - 1
    WHERE lot_id = (SELECT lot_id FROM lots WHERE user_id = CAST(:prefix AS text) || :uid AND remaining_units > 0
                    ORDER BY priority LIMIT 1)
      AND EXISTS (SELECT 1 FROM changed)
    RETURNING lot_id)
INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units, reference, reason, drawn_lot_ids,
                            drawn_units, caller, operation, idempotency_key, fingerprint, created_at, hash)
SELECT gen_random_uuid(), changed.user_id, 'deduction', 1, changed.balance_units, 'bench', NULL,
       ARRAY(SELECT lot_id FROM drawn), ARRAY[1::bigint], 'pgbench', 'deduction', gen_random_uuid()::text, repeat('0', 64), now(),
       repeat('0', 64)
FROM changed
RETURNING seq, id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, created_at;
