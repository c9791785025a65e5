package credits.adapters.persistence.postgres;

import static credits.adapters.persistence.postgres.Retries.retrying;
import static credits.adapters.persistence.postgres.Rows.timestamp;
import static credits.adapters.persistence.postgres.WebhookSql.CLAIM_DUE;
import static credits.adapters.persistence.postgres.WebhookSql.CREATE_ENDPOINT;
import static credits.adapters.persistence.postgres.WebhookSql.DELETE_ENDPOINT;
import static credits.adapters.persistence.postgres.WebhookSql.DELIVERIES;
import static credits.adapters.persistence.postgres.WebhookSql.ENDPOINTS;
import static credits.adapters.persistence.postgres.WebhookSql.FIND_ENDPOINT;
import static credits.adapters.persistence.postgres.WebhookSql.PENDING;
import static credits.adapters.persistence.postgres.WebhookSql.RECORD_ATTEMPT;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import credits.adapters.persistence.postgres.Retries.Repeat;
import credits.domain.CreditEvent;
import credits.domain.CreditEventType;
import credits.domain.Delivery;
import credits.domain.DeliveryAttempt;
import credits.domain.DeliveryPage;
import credits.domain.DeliveryStatus;
import credits.domain.DueDelivery;
import credits.domain.EndpointId;
import credits.domain.EntryId;
import credits.domain.EventId;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhookSecret;
import credits.domain.WebhooksPort;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * {@link WebhooksPort} on PostgreSQL through Helidon DbClient: the statements of
 * {@link WebhookSql}, each one statement in its own transaction. Every one is safe to run again
 * after a broken connection (a claim that committed unseen only delays those deliveries by a lease;
 * an attempt recorded twice is recorded once, as only a pending delivery takes an outcome), except
 * creating an endpoint, which a retry could not tell from a duplicate id.
 */
final class PostgresWebhooksAdapter implements WebhooksPort {

    private final DbClient dbClient;
    private final PoolGate gate;

    PostgresWebhooksAdapter(DbClient dbClient, PoolGate gate) {
        this.dbClient = Objects.requireNonNull(dbClient, "dbClient");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public void createEndpoint(WebhookEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        Map<String, Object> params = new HashMap<>();
        params.put("id", endpoint.id().toString());
        params.put("url", endpoint.url().toString());
        params.put("events", Rows.array(endpoint.events().stream().map(CreditEventType::code).sorted().toList()));
        params.put("description", endpoint.description().orElse(null));
        params.put("secret", endpoint.secret().text());
        params.put("created_at", timestamp(endpoint.createdAt()));
        guarded("createEndpoint", () -> CREATE_ENDPOINT.dml(dbClient.execute(), params));
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        return guarded("endpoints", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            try (Stream<DbRow> rows = ENDPOINTS.query(dbClient.execute(), Map.of())) {
                return rows.map(PostgresWebhooksAdapter::endpoint).toList();
            }
        }));
    }

    @Override
    public boolean deleteEndpoint(EndpointId id, Instant now) {
        Objects.requireNonNull(id, "id");
        Map<String, Object> params = Map.of("id", id.toString(), "now", timestamp(now));
        return guarded("deleteEndpoint", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION,
                () -> DELETE_ENDPOINT.dml(dbClient.execute(), params) == 1));
    }

    @Override
    public Optional<DeliveryPage> deliveries(EndpointId id, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        Map<String, Object> params = new HashMap<>();
        params.put("id", id.toString());
        params.put("before", after.map(HistoryCursor::position).orElse(Long.MAX_VALUE));
        params.put("rows", limit + 1L);
        return guarded("deliveries", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            if (FIND_ENDPOINT.get(dbClient.execute(), Map.of("id", id.toString())).isEmpty()) {
                return Optional.empty();
            }
            List<Positioned> rows;
            try (Stream<DbRow> stream = DELIVERIES.query(dbClient.execute(), params)) {
                rows = stream.map(PostgresWebhooksAdapter::delivery).toList();
            }
            List<Positioned> page = rows.subList(0, Math.min(limit, rows.size()));
            Optional<HistoryCursor> next = rows.size() > limit
                    ? Optional.of(new HistoryCursor(page.get(page.size() - 1).seq()))
                    : Optional.empty();
            return Optional.of(new DeliveryPage(page.stream().map(Positioned::delivery).toList(), next));
        }));
    }

    @Override
    public List<DueDelivery> claimDue(Instant now, Duration lease, int max) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        Map<String, Object> params = Map.of("now", timestamp(now), "lease_until", timestamp(now.plus(lease)), "rows", (long) max);
        return guarded("claimDue", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> {
            try (Stream<DbRow> rows = CLAIM_DUE.query(dbClient.execute(), params)) {
                return rows.map(row -> {
                    WebhookEndpoint endpoint = endpoint(row);
                    return new DueDelivery(event(row), endpoint.id(), endpoint.url(), endpoint.secret(),
                            row.column("attempts").get(Integer.class));
                }).collect(Collectors.toList());
            }
        }));
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        Map<String, Object> params = new HashMap<>();
        params.put("event_id", attempt.eventId().value().toString());
        params.put("endpoint_id", attempt.endpointId().toString());
        params.put("status", attempt.outcome().code());
        params.put("status_code", attempt.statusCode().orElse(null));
        params.put("next_attempt_at", attempt.nextAttemptAt().map(Rows::timestamp).orElse(null));
        guarded("recordAttempt", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION, () -> RECORD_ATTEMPT.dml(dbClient.execute(), params)));
    }

    @Override
    public long pendingDeliveries() {
        return guarded("pendingDeliveries", () -> retrying(Repeat.ALSO_ON_BROKEN_CONNECTION,
                () -> PENDING.get(dbClient.execute(), Map.of()).orElseThrow().column("pending").get(Long.class)));
    }

    private static WebhookEndpoint endpoint(DbRow row) {
        return new WebhookEndpoint(
                new EndpointId(row.column("endpoint_id").get(UUID.class)),
                URI.create(row.column("url").get(String.class)),
                Rows.items(row.column("events").get(String.class)).stream()
                        .map(code -> CreditEventType.find(code).orElseThrow(() -> new IllegalStateException("unknown event type " + code)))
                        .collect(Collectors.toSet()),
                Optional.ofNullable(row.column("description").get(String.class)),
                WebhookSecret.parse(row.column("secret").get(String.class)),
                Rows.instant(row.column("endpoint_created_at")));
    }

    private static CreditEvent event(DbRow row) {
        String type = row.column("type").get(String.class);
        return new CreditEvent(
                new EventId(row.column("event_id").get(UUID.class)),
                CreditEventType.find(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type)),
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("balance_units").get(Long.class)),
                Usdc.ofUnits(row.column("available_units").get(Long.class)),
                Optional.ofNullable(row.column("threshold_units").get(Long.class)).map(Usdc::ofUnits),
                Optional.ofNullable(row.column("entry_id").get(UUID.class)).map(EntryId::new),
                Optional.ofNullable(row.column("hold_id").get(UUID.class)).map(EntryId::new),
                Rows.instant(row.column("event_created_at")));
    }

    private record Positioned(long seq, Delivery delivery) {
    }

    private static Positioned delivery(DbRow row) {
        String type = row.column("type").get(String.class);
        DeliveryStatus status = DeliveryStatus.of(row.column("status").get(String.class));
        return new Positioned(row.column("seq").get(Long.class), new Delivery(
                new EventId(row.column("event_id").get(UUID.class)),
                CreditEventType.find(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type)),
                status,
                row.column("attempts").get(Integer.class),
                Optional.ofNullable(row.column("last_status_code").get(Integer.class)),
                status == DeliveryStatus.PENDING ? Optional.of(Rows.instant(row.column("next_attempt_at"))) : Optional.empty(),
                Rows.instant(row.column("created_at"))));
    }

    private <T> T guarded(String operation, Supplier<T> body) {
        return gate.guarded(operation, body);
    }
}
