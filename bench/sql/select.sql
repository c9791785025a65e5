-- (a) ceiling for GET balance: the service's primary-key read of one account.
\set uid random(1, :users)
SELECT user_id, balance_units, held_units, created_at, updated_at FROM credits WHERE user_id = 'bench_user_' || :uid;
