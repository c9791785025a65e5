-- (a) ceiling for GET balance: the service's read of one credit with its open lots.
\set uid random(1, :users)
SELECT c.user_id, c.balance_units, c.held_units, c.created_at, c.updated_at, c.revision,
       l.lot_id, l.entry_seq, l.category, l.priority, l.expires_at, l.original_units, l.remaining_units, l.expired_units
FROM credits c LEFT JOIN lots l ON l.user_id = c.user_id AND l.remaining_units > 0
WHERE c.user_id = 'bench_user_' || :uid;
