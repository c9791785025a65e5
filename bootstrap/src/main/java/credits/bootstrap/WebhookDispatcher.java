package credits.bootstrap;

import credits.adapters.http.webhook.HttpWebhookSender;
import credits.adapters.http.webhook.WebhookMetrics;
import credits.application.port.in.DeliverWebhooks;
import credits.application.service.DeliverWebhooksService;
import credits.domain.RetrySchedule;
import credits.domain.WebhooksPort;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Delivers the outbox: a pass every {@link #INTERVAL} on its own thread ({@code webhook-dispatcher}),
 * and another at once after a full one. Money moves never wait for it (they only write the outbox),
 * and every instance may run one: each delivery is claimed by one of them. A failed pass (the store
 * down) is tried again at the next run; what it had claimed comes back when the lease ends.
 */
final class WebhookDispatcher implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);

    private final RepeatedPasses passes;
    private final DeliverWebhooksService deliver;
    private final HttpWebhookSender sender;
    private final MeterRegistry registry;
    private final Meter pending;

    private WebhookDispatcher(RepeatedPasses passes, DeliverWebhooksService deliver, HttpWebhookSender sender, MeterRegistry registry,
                              Meter pending) {
        this.passes = passes;
        this.deliver = deliver;
        this.sender = sender;
        this.registry = registry;
        this.pending = pending;
    }

    /** Over the real HTTP sender, counting in {@code registry}. */
    static WebhookDispatcher start(WebhooksPort webhooks, RetrySchedule schedule, Clock clock, MeterRegistry registry) {
        Objects.requireNonNull(webhooks, "webhooks");
        HttpWebhookSender sender = HttpWebhookSender.create();
        DeliverWebhooksService deliver = new DeliverWebhooksService(webhooks, sender, schedule, clock, WebhookMetrics.create(registry));
        Meter pending = WebhookMetrics.registerPendingGauge(registry, webhooks::pendingDeliveries);
        return new WebhookDispatcher(RepeatedPasses.start("webhook-dispatcher", INTERVAL, deliver::deliverOnce,
                DeliverWebhooks.DELIVERIES_PER_PASS), deliver, sender, registry, pending);
    }

    /** Stops the passes, then interrupts sends still running (their leases lapse and another pass sends them). */
    @Override
    public void close() {
        passes.close();
        deliver.close();
        sender.close();
        registry.remove(pending);
    }
}
