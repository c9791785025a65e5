package credits.adapters.http.support;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one meter registry of the test JVM (the one {@code /metrics} would serve), and readings of it.
 * Registries share their meters, so tests compare counts before and after instead of expecting zero.
 */
public final class Meters {

    public static final MeterRegistry REGISTRY = Services.get(MeterRegistry.class);

    private Meters() {
    }

    /** How many requests the {@code credits_http_requests} timer with these tags has recorded. */
    public static long timed(String route, String method, String statusClass) {
        return REGISTRY.timer("credits_http_requests", tags("route", route, "method", method, "status_class", statusClass))
                .map(Timer::count).orElse(0L);
    }

    /** Waits until the timer has counted {@code expected} (it records once the response is sent, a moment after the client has it). */
    public static long awaitTimed(String route, String method, String statusClass, long expected) throws InterruptedException {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> timed(route, method, statusClass), count -> count >= expected);
        } catch (ConditionTimeoutException notReached) {
            return timed(route, method, statusClass); // the caller's assertion reports the count it saw
        }
    }

    public static long ledger(String type, String outcome) {
        return REGISTRY.counter("credits_ledger_operations_total", tags("type", type, "outcome", outcome))
                .map(Counter::count).orElse(0L);
    }

    private static List<Tag> tags(String... keyValues) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.add(Tag.create(keyValues[i], keyValues[i + 1]));
        }
        return tags;
    }
}
