-- Low-balance alerts and webhooks (api.md, "Alerts and webhooks").
--
-- A user's own threshold lives beside the balance (the configured default is the service's, not
-- stored), with the flag that a balance.low awaits its balance.recovered: a move judges its
-- crossing on the row it already locks and writes.
ALTER TABLE credits
    ADD COLUMN low_balance_units bigint CONSTRAINT credits_low_balance_above_zero CHECK (low_balance_units > 0),
    ADD COLUMN low_alerted boolean NOT NULL DEFAULT false;

CREATE TABLE webhook_endpoints (
    id          uuid PRIMARY KEY,
    url         varchar(2048) NOT NULL CONSTRAINT webhook_endpoints_http_url CHECK (url ~* '^https?://'),
    events      varchar[] NOT NULL CONSTRAINT webhook_endpoints_some_events CHECK (cardinality(events) > 0),
    description varchar(256),
    secret      varchar NOT NULL,
    created_at  timestamptz NOT NULL,
    -- Deleted endpoints stay (their deliveries name them) but get nothing more.
    deleted_at  timestamptz
);

-- The outbox: an event row is inserted by the transaction of the move that caused it, so it exists
-- if and only if that move committed.
CREATE TABLE webhook_events (
    id              uuid PRIMARY KEY,
    type            varchar(32) NOT NULL,
    user_id         varchar NOT NULL,
    balance_units   bigint NOT NULL,
    available_units bigint NOT NULL,
    threshold_units bigint,
    entry_id        uuid,
    hold_id         uuid,
    created_at      timestamptz NOT NULL
);

-- One row per event and endpoint that wanted it when it was recorded (written with the event). A
-- dispatcher claims due rows with FOR UPDATE SKIP LOCKED and moves next_attempt_at past its lease,
-- so instances never send one attempt twice; a claim whose dispatcher died is due again after it.
CREATE TABLE webhook_deliveries (
    seq              bigint GENERATED ALWAYS AS IDENTITY,
    event_id         uuid NOT NULL REFERENCES webhook_events (id),
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id),
    status           varchar(16) NOT NULL DEFAULT 'pending'
        CONSTRAINT webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CONSTRAINT webhook_deliveries_attempts CHECK (attempts >= 0),
    last_status_code integer,
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_of_endpoint ON webhook_deliveries (endpoint_id, seq);

DO $grants$
DECLARE
    runtime text := '${runtime_role}';
BEGIN
    IF runtime <> current_user THEN
        EXECUTE format('GRANT UPDATE (deleted_at) ON webhook_endpoints TO %I', runtime);
        EXECUTE format('GRANT UPDATE (status, attempts, last_status_code, next_attempt_at) ON webhook_deliveries TO %I',
                       runtime);
    END IF;
END
$grants$;
