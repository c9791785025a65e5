-- (a) ceiling for GET balance: the service's primary-key read of one credit row, with the lots'
-- summary stored beside the balance (the lots themselves are read only after the next expiry).
\set uid random(1, :users)
SELECT user_id, balance_units, held_units, created_at, updated_at, revision, paid_units, next_expiry_at, next_expiry_units
FROM credits WHERE user_id = CAST(:prefix AS text) || :uid;
