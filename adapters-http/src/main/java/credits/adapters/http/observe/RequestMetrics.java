package credits.adapters.http.observe;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@value #NAME}: a latency histogram (and so a count) per route template, method and status class.
 * Every tag has a bounded set of values (registered templates plus {@value ObservabilityFilter#UNMATCHED},
 * the standard methods plus {@code OTHER}, five status classes), so no client can grow the number of series.
 */
final class RequestMetrics {

    static final String NAME = "credits_http_requests";

    // Around the latencies that matter here: a cached read (~1 ms) up to a DB timeout (seconds).
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "CONNECT");
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private record Key(String route, String method, String statusClass) {
    }

    private final MeterRegistry registry;
    // Looked up per request; the meter registry's own lookup builds a builder and tag list each time.
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void record(String route, String method, int status, long nanos) {
        Key key = new Key(route, STANDARD_METHODS.contains(method) ? method : "OTHER", statusClass(status));
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::register);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    static String statusClass(int status) {
        int index = status / 100 - 1;
        return index >= 0 && index < STATUS_CLASSES.length ? STATUS_CLASSES[index] : "other";
    }

    private Timer register(Key key) {
        return registry.getOrCreate(Timer.builder(NAME)
                .description("HTTP requests by route template, method and status class")
                .buckets(BUCKETS)
                .tags(List.of(Tag.create("route", key.route()), Tag.create("method", key.method()),
                        Tag.create("status_class", key.statusClass()))));
    }
}
