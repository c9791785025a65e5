package credits.adapters.persistence.postgres;

/**
 * The statements of {@link PostgresWebhooksAdapter}: endpoints, the deliveries list, and the
 * dispatcher's claim and record. The outbox rows themselves are written with the money moves
 * ({@code LedgerSql.INSERT_EVENTS}).
 */
final class WebhookSql {

    private static final String ENDPOINT_COLUMNS = """
            e.id AS endpoint_id, e.url, CAST(e.events AS text) AS events, e.description, e.secret,
            e.created_at AS endpoint_created_at""";

    private static final String EVENT_COLUMNS = """
            ev.id AS event_id, ev.type, ev.user_id, ev.balance_units, ev.available_units, ev.threshold_units, ev.entry_id,
            ev.hold_id, ev.created_at AS event_created_at""";

    static final Sql CREATE_ENDPOINT = Sql.named("create-endpoint", """
            INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at)
            VALUES (CAST(:id AS uuid), :url, CAST(:events AS varchar[]), CAST(:description AS varchar), :secret, :created_at)""");

    static final Sql ENDPOINTS = Sql.named("endpoints", """
            SELECT %s FROM webhook_endpoints e WHERE e.deleted_at IS NULL ORDER BY e.created_at, e.id"""
            .formatted(ENDPOINT_COLUMNS));

    static final Sql FIND_ENDPOINT = Sql.named("find-endpoint", """
            SELECT e.id FROM webhook_endpoints e WHERE e.id = CAST(:id AS uuid) AND e.deleted_at IS NULL""");

    static final Sql DELETE_ENDPOINT = Sql.named("delete-endpoint", """
            UPDATE webhook_endpoints SET deleted_at = :now WHERE id = CAST(:id AS uuid) AND deleted_at IS NULL""");

    // seq < :before with before = Long.MAX_VALUE for the first page keeps this one statement.
    static final Sql DELIVERIES = Sql.named("deliveries", """
            SELECT d.seq, d.event_id, ev.type, d.status, d.attempts, d.last_status_code, d.next_attempt_at, d.created_at
            FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
            WHERE d.endpoint_id = CAST(:id AS uuid) AND d.seq < :before
            ORDER BY d.seq DESC LIMIT :rows""");

    // Due deliveries of live endpoints, oldest due first, locked with SKIP LOCKED so concurrent
    // claims (other instances) take others, and moved past the lease in the same statement: once it
    // commits, no claim finds them due until the lease ends (a claim that read them as due before
    // re-checks the newest row under its lock and skips them).
    static final Sql CLAIM_DUE = Sql.named("claim-due", """
            WITH due AS (
                SELECT d.event_id, d.endpoint_id FROM webhook_deliveries d
                JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.deleted_at IS NULL
                WHERE d.status = 'pending' AND d.next_attempt_at <= :now
                ORDER BY d.next_attempt_at LIMIT :rows
                FOR UPDATE OF d SKIP LOCKED),
            claimed AS (
                UPDATE webhook_deliveries d SET next_attempt_at = :lease_until
                FROM due WHERE d.event_id = due.event_id AND d.endpoint_id = due.endpoint_id
                RETURNING d.event_id, d.endpoint_id, d.attempts)
            SELECT c.attempts, %s, %s
            FROM claimed c JOIN webhook_events ev ON ev.id = c.event_id JOIN webhook_endpoints e ON e.id = c.endpoint_id"""
            .formatted(EVENT_COLUMNS, ENDPOINT_COLUMNS));

    // Only a pending delivery takes an outcome: one delivered or failed meanwhile (a second attempt
    // after a lapsed lease) stays as it is.
    static final Sql RECORD_ATTEMPT = Sql.named("record-attempt", """
            UPDATE webhook_deliveries
            SET status = :status, attempts = attempts + 1, last_status_code = CAST(:status_code AS integer),
                next_attempt_at = COALESCE(CAST(:next_attempt_at AS timestamptz), next_attempt_at)
            WHERE event_id = CAST(:event_id AS uuid) AND endpoint_id = CAST(:endpoint_id AS uuid) AND status = 'pending'""");

    static final Sql PENDING = Sql.named("pending-deliveries", """
            SELECT count(*) AS pending FROM webhook_deliveries d
            JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.deleted_at IS NULL
            WHERE d.status = 'pending'""");

    private WebhookSql() {
    }
}
