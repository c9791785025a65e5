package credits.adapters.http.webhook;

import credits.application.port.out.DeliveryObserver;
import credits.domain.DueDelivery;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The webhook meters: deliveries {@value #DELIVERIES} by {@code outcome} (delivered, failed: every
 * attempt of the schedule failed), failed attempts {@value #FAILED_ATTEMPTS}, and {@value #LATENCY}
 * from the event's recording to its 2xx. The pending gauge ({@value #PENDING}) is registered apart,
 * over the store, because it is read at each scrape.
 */
public final class WebhookMetrics implements DeliveryObserver {

    public static final String DELIVERIES = "credits_webhook_deliveries_total";
    public static final String FAILED_ATTEMPTS = "credits_webhook_failed_attempts_total";
    public static final String LATENCY = "credits_webhook_delivery_latency";
    public static final String PENDING = "credits_webhook_deliveries_pending";

    // From a receiver that answers at once to one that came back after a day of retries.
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(24)};

    private final Counter delivered;
    private final Counter failed;
    private final Counter failedAttempts;
    private final Timer latency;

    private WebhookMetrics(Counter delivered, Counter failed, Counter failedAttempts, Timer latency) {
        this.delivered = delivered;
        this.failed = failed;
        this.failedAttempts = failedAttempts;
        this.latency = latency;
    }

    /** The counters and the timer, there from the start (at 0) so alerts on them work before the first failure. */
    public static WebhookMetrics create(MeterRegistry registry) {
        return new WebhookMetrics(deliveries(registry, "delivered"), deliveries(registry, "failed"),
                registry.getOrCreate(Counter.builder(FAILED_ATTEMPTS)
                        .description("Webhook delivery attempts answered with a non-2xx or not at all")),
                registry.getOrCreate(Timer.builder(LATENCY)
                        .description("From a webhook event's recording to its delivery (a 2xx), retries included")
                        .buckets(BUCKETS)));
    }

    private static Counter deliveries(MeterRegistry registry, String outcome) {
        return registry.getOrCreate(Counter.builder(DELIVERIES)
                .description("Webhook deliveries by outcome (failed: every attempt of the retry schedule failed)")
                .tags(List.of(Tag.create("outcome", outcome))));
    }

    /**
     * The gauge of deliveries pending now, read from {@code pending} at each scrape (replacing one an
     * earlier service in this JVM left); a store that cannot answer shows NaN rather than failing the scrape.
     */
    public static Meter registerPendingGauge(MeterRegistry registry, LongSupplier pending) {
        registry.meters(meter -> meter.id().name().equals(PENDING)).forEach(registry::remove);
        return registry.getOrCreate(Gauge.builder(PENDING, (Supplier<Double>) () -> {
            try {
                return (double) pending.getAsLong();
            } catch (RuntimeException unavailable) {
                return Double.NaN;
            }
        }).description("Webhook deliveries waiting for a successful attempt"));
    }

    @Override
    public void delivered(DueDelivery delivery, Duration latency) {
        delivered.increment();
        this.latency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    @Override
    public void attemptFailed(DueDelivery delivery, Optional<Integer> status) {
        failedAttempts.increment();
    }

    @Override
    public void failed(DueDelivery delivery) {
        failed.increment();
    }
}
