-- Keys the service generates for itself and every instance on this database must share, such as the
-- key that seals history cursors (when CREDITS_HISTORY_CURSOR_KEY is not configured). The first
-- instance to start inserts a random key (INSERT ... ON CONFLICT DO NOTHING); every instance then
-- reads whichever insert won, so instances starting at once still agree on one key.
CREATE TABLE server_keys (
    name       text        NOT NULL,
    key_bytes  bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT server_keys_pkey PRIMARY KEY (name),
    -- A key is never empty: an empty row would silently weaken whatever it protects.
    CONSTRAINT server_keys_key_not_empty CHECK (octet_length(key_bytes) > 0)
);
