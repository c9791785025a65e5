-- One account row per user. Money is integer units of 10^-7 USDC (bigint), so every sum is
-- exact and the database can check the invariants itself instead of trusting the Java code.
CREATE TABLE credits (
    -- Ids come from JWT subjects: opaque text, 1-255 characters (char_length counts characters,
    -- as the domain's UserId does, not bytes).
    user_id       varchar(255) NOT NULL,
    balance_units bigint       NOT NULL DEFAULT 0,
    -- The part of the balance reserved by active holds; available = balance - held.
    held_units    bigint       NOT NULL DEFAULT 0,
    -- Instants, not wall-clock times: the session time zone must not change what is stored.
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    -- The primary key is what makes get-or-create atomic (INSERT ... ON CONFLICT (user_id)).
    CONSTRAINT credits_pkey PRIMARY KEY (user_id),
    -- The last line of defence for "the balance never goes below zero, under any concurrency".
    CONSTRAINT credits_balance_not_negative CHECK (balance_units >= 0),
    CONSTRAINT credits_held_not_negative CHECK (held_units >= 0),
    -- A hold can never reserve more than there is.
    CONSTRAINT credits_held_within_balance CHECK (held_units <= balance_units),
    -- varchar(255) bounds the top; this also refuses the empty id the domain refuses.
    CONSTRAINT credits_user_id_length CHECK (char_length(user_id) BETWEEN 1 AND 255)
);
