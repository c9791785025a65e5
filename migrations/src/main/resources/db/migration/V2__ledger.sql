-- The ledger: one append-only row per money move. A user's balance is the sum of their signed
-- entries, and each entry is also the record of the idempotency key that produced it, so keys are
-- kept for good and "one effect per key" is a unique constraint, not a Java check.
CREATE TABLE ledger_entries (
    -- The history cursor. Per user, seq grows in commit order: every move updates (locks) the
    -- user's credits row before it inserts its entry, so a later move of that user cannot take
    -- its seq before the earlier one has committed. A cursor walk therefore never skips an entry.
    seq                 bigint        GENERATED ALWAYS AS IDENTITY,
    -- The public id (a UUID from the core), so ids reveal nothing about volumes or order.
    id                  uuid          NOT NULL,
    user_id             varchar(255)  NOT NULL,
    type                varchar(16)   NOT NULL,
    -- Always positive; the type says the direction.
    amount_units        bigint        NOT NULL,
    balance_after_units bigint        NOT NULL,
    reference           varchar(255),
    reason              varchar(1000),
    -- Set on refunds only: the deduction they give back.
    deduction_id        uuid,
    -- The idempotency identity: who asked, for which operation (the type), under which key, and a
    -- digest of what was asked (SHA-256, hex) to tell a retry from a different request.
    caller              varchar(255)  NOT NULL,
    idempotency_key     varchar(255)  NOT NULL,
    fingerprint         char(64)      NOT NULL,
    created_at          timestamptz   NOT NULL,
    CONSTRAINT ledger_entries_pkey PRIMARY KEY (id),
    CONSTRAINT ledger_entries_seq_unique UNIQUE (seq),
    CONSTRAINT ledger_entries_user_fk FOREIGN KEY (user_id) REFERENCES credits (user_id),
    CONSTRAINT ledger_entries_deduction_fk FOREIGN KEY (deduction_id) REFERENCES ledger_entries (id),
    CONSTRAINT ledger_entries_type_known CHECK (type IN ('grant', 'deduction', 'refund')),
    CONSTRAINT ledger_entries_amount_positive CHECK (amount_units > 0),
    CONSTRAINT ledger_entries_balance_after_not_negative CHECK (balance_after_units >= 0),
    -- A refund always names its deduction; nothing else does.
    CONSTRAINT ledger_entries_deduction_only_on_refunds CHECK ((type = 'refund') = (deduction_id IS NOT NULL)),
    -- char(64) pads shorter values with blanks; only a full digest compares reliably.
    CONSTRAINT ledger_entries_fingerprint_length CHECK (char_length(fingerprint) = 64),
    -- One effect per (caller, endpoint, key): a concurrent duplicate fails here and is replayed.
    CONSTRAINT ledger_entries_idempotency_unique UNIQUE (caller, type, idempotency_key)
);

-- History pages: newest first within one user.
CREATE INDEX ledger_entries_user_seq ON ledger_entries (user_id, seq DESC);

-- How much of a deduction has been refunded. The row is created at the first refund of a
-- deduction (not with the deduction), so the hot deduction path writes only two rows. Refunds of
-- one deduction lock this row, and the CHECK makes the database itself refuse an over-refund.
CREATE TABLE deduction_refunds (
    deduction_id   uuid         NOT NULL,
    user_id        varchar(255) NOT NULL,
    amount_units   bigint       NOT NULL,
    refunded_units bigint       NOT NULL DEFAULT 0,
    CONSTRAINT deduction_refunds_pkey PRIMARY KEY (deduction_id),
    CONSTRAINT deduction_refunds_deduction_fk FOREIGN KEY (deduction_id) REFERENCES ledger_entries (id),
    CONSTRAINT deduction_refunds_within_deduction CHECK (refunded_units >= 0 AND refunded_units <= amount_units)
);
