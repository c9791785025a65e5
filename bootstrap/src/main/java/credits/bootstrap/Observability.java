package credits.bootstrap;

import credits.adapters.persistence.postgres.PostgresStore;
import credits.bootstrap.logging.Logging;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.spi.ServerFeature;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Probes, metrics and the API document, at the paths operators and the frontend expect:
 * {@code /health/live}, {@code /health/ready}, {@code /metrics} (Prometheus text) and {@code /openapi}.
 *
 * <p>Helidon's observe and OpenAPI features switch themselves on when found on the classpath (under
 * {@code /observe/...}, with whatever observers are discovered). {@link CreditsServer} turns that
 * discovery off and installs exactly the features built here, so each endpoint is served once, at
 * its documented path, with only the checks below. None of them needs a token: they sit outside
 * the API services, which are the ones that authenticate.
 */
final class Observability {

    /** How long readiness waits for the database before it says "not ready". */
    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(1);

    static final String POOL_ACTIVE = "credits_db_pool_active";
    static final String POOL_IDLE = "credits_db_pool_idle";
    static final String POOL_PENDING = "credits_db_pool_pending";
    static final String POOL_TOTAL = "credits_db_pool_total";
    // Natural batches since start (counts, as gauges of the store's own counters): requests / batches
    // over an interval is the average batch size then.
    static final String MOVE_BATCHES = "credits_db_move_batches";
    static final String MOVE_BATCH_REQUESTS = "credits_db_move_batch_requests";
    static final String READ_BATCHES = "credits_db_read_batches";
    static final String READ_BATCH_REQUESTS = "credits_db_read_batch_requests";
    static final String LOG_DROPPED = "credits_log_records_dropped";

    private Observability() {
    }

    /** The server features to install: health and metrics under one observe feature, and OpenAPI. */
    static List<ServerFeature> features(Optional<PostgresStore> store, MeterRegistry registry) {
        HealthObserver health = HealthObserver.builder()
                .endpoint("/health")
                .details(true)
                .useSystemServices(false) // no checks from the classpath: only ours, so readiness means what we say
                .addCheck(liveness())
                .addCheck(readiness(store))
                .build();
        MetricsObserver metrics = MetricsObserver.builder()
                .endpoint("/metrics")
                // The registry the HTTP adapter's meters live in; without it Helidon may build a global
                // registry of its own from a different configuration and replace the one in use.
                .meterRegistry(registry)
                .build();
        ObserveFeature observe = ObserveFeature.builder()
                .observersDiscoverServices(false)
                .addObserver(health)
                .addObserver(metrics)
                .build();
        return List.of(observe, openApi(Optional.empty()));
    }

    /**
     * {@code GET /openapi}: the HTTP adapter's {@code META-INF/openapi.yaml} (or {@code staticFile}),
     * YAML by default and JSON on {@code Accept: application/json}. A missing document serves an
     * empty one rather than stopping the service.
     */
    static OpenApiFeature openApi(Optional<String> staticFile) {
        return OpenApiFeature.builder()
                .webContext("/openapi")
                .update(builder -> staticFile.ifPresent(builder::staticFile))
                .manager(new OpenApiDocument())
                .build();
    }

    /** Liveness: the process answers HTTP. Nothing outside it (the database least of all) may make it fail. */
    static HealthCheck liveness() {
        return new NamedCheck("process", HealthCheckType.LIVENESS, () -> HealthCheckResponse.builder().status(true).build());
    }

    /**
     * Readiness: the database answers within a second; the in-memory store is always ready. The
     * schema's version is shown beside it: no instance listens before the schema is current, and in a
     * rolling deploy it tells which instances started on which schema.
     */
    static HealthCheck readiness(Optional<PostgresStore> store) {
        return new NamedCheck("database", HealthCheckType.READINESS, () -> {
            if (store.isEmpty()) {
                return HealthCheckResponse.builder().status(true).detail("store", "memory").build();
            }
            boolean reachable = store.get().isReachable(READINESS_TIMEOUT);
            return HealthCheckResponse.builder().status(reachable).detail("store", "postgres")
                    .detail("schema", store.get().schemaVersion()).build();
        });
    }

    /**
     * Gauges of the connection pool and of dropped log lines in {@code registry}; closing the
     * returned handle removes them again (tests run several services in one JVM, one after another).
     */
    static AutoCloseable registerGauges(MeterRegistry registry, Optional<PostgresStore> store) {
        List<Meter> meters = new ArrayList<>();
        store.ifPresent(postgres -> {
            meters.add(gauge(registry, POOL_ACTIVE, "Database connections in use", postgres, PostgresStore.PoolStats::active));
            meters.add(gauge(registry, POOL_IDLE, "Database connections open and idle", postgres, PostgresStore.PoolStats::idle));
            meters.add(gauge(registry, POOL_PENDING, "Requests waiting for a database connection", postgres,
                    PostgresStore.PoolStats::pending));
            meters.add(gauge(registry, POOL_TOTAL, "Database connections open", postgres, PostgresStore.PoolStats::total));
            meters.add(batchGauge(registry, MOVE_BATCHES, "Batches of money moves written since start (a batch of one included)",
                    () -> postgres.batchStats().moveBatches()));
            meters.add(batchGauge(registry, MOVE_BATCH_REQUESTS, "Money moves written in those batches",
                    () -> postgres.batchStats().moveRequests()));
            meters.add(batchGauge(registry, READ_BATCHES, "Batches of balance reads run since start (a batch of one included)",
                    () -> postgres.batchStats().readBatches()));
            meters.add(batchGauge(registry, READ_BATCH_REQUESTS, "Balance reads answered by those batches",
                    () -> postgres.batchStats().readRequests()));
        });
        meters.add(replace(registry, Gauge.builder(LOG_DROPPED, (Supplier<Long>) Logging::droppedRecords)
                .description("Log records dropped because stdout could not keep up")));
        return () -> meters.forEach(registry::remove);
    }

    private static Meter batchGauge(MeterRegistry registry, String name, String description, Supplier<Long> count) {
        return replace(registry, Gauge.builder(name, count).description(description));
    }

    private static Meter gauge(MeterRegistry registry, String name, String description, PostgresStore store,
                               ToIntFunction<PostgresStore.PoolStats> stat) {
        return replace(registry, Gauge.builder(name, (Supplier<Integer>) () -> stat.applyAsInt(store.poolStats()))
                .description(description));
    }

    // A gauge left by an earlier service in this JVM would keep reading that service's closed pool.
    private static Meter replace(MeterRegistry registry, Gauge.Builder<?> gauge) {
        registry.meters(meter -> meter.id().name().equals(gauge.name())).forEach(registry::remove);
        return registry.getOrCreate(gauge);
    }

    /**
     * The registry the service's meters go to: Helidon's global one, which {@code /metrics} shows.
     * Helidon's metrics feature counts every request in {@code requests.count} from a filter of its
     * own; the HTTP adapter already measures requests per route and status, so that meter is
     * excluded (its filter stays, and then only increments a no-op counter). The same config
     * instance every time: asked with a different one, Helidon would replace the global registry
     * and orphan the meters already made in it.
     */
    static MeterRegistry registry() {
        return MetricsFactory.getInstance().globalRegistry(METRICS);
    }

    private static final MetricsConfig METRICS = MetricsConfig.builder()
            .scoping(scoping -> scoping.putScope(Meter.Scope.VENDOR, vendor -> vendor.name(Meter.Scope.VENDOR)
                    .exclude(Pattern.compile("requests\\..*"))))
            .build();

    private record NamedCheck(String name, HealthCheckType type, Supplier<HealthCheckResponse> check) implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return check.get();
        }
    }
}
