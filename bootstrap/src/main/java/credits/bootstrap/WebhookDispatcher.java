package credits.bootstrap;

import credits.adapters.http.webhook.HttpWebhookSender;
import credits.adapters.http.webhook.WebhookMetrics;
import credits.application.port.in.DeliverWebhooks;
import credits.application.service.DeliverWebhooksService;
import credits.domain.RetrySchedule;
import credits.domain.WebhooksPort;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the outbox: a pass every {@link #INTERVAL} on its own scheduler thread, and another at once
 * after a full one, so a backlog drains without waiting. Money moves never wait for it (they only
 * write the outbox), and every instance may run one: each delivery is claimed by one of them.
 */
final class WebhookDispatcher implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());

    private final DeliverWebhooksService deliver;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry registry;
    private final Meter pending;

    private WebhookDispatcher(DeliverWebhooksService deliver, ScheduledExecutorService scheduler, MeterRegistry registry, Meter pending) {
        this.deliver = deliver;
        this.scheduler = scheduler;
        this.registry = registry;
        this.pending = pending;
    }

    /** Over the real HTTP sender, counting in {@code registry}. */
    static WebhookDispatcher start(WebhooksPort webhooks, RetrySchedule schedule, Clock clock, MeterRegistry registry) {
        Objects.requireNonNull(webhooks, "webhooks");
        DeliverWebhooksService deliver = new DeliverWebhooksService(webhooks, HttpWebhookSender.create(), schedule, clock,
                WebhookMetrics.create(registry));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
        WebhookDispatcher dispatcher = new WebhookDispatcher(deliver, scheduler, registry,
                WebhookMetrics.registerPendingGauge(registry, webhooks::pendingDeliveries));
        scheduler.scheduleWithFixedDelay(dispatcher::dispatch, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return dispatcher;
    }

    /** Passes until one claims fewer deliveries than a pass may. */
    void dispatch() {
        try {
            while (deliver.deliverOnce() == DeliverWebhooks.DELIVERIES_PER_PASS && !Thread.currentThread().isInterrupted()) {
                LOG.log(Level.DEBUG, "webhook dispatch: a full pass, running another");
            }
        } catch (RuntimeException e) {
            // The store is down or a claim failed: the next run tries again; claimed deliveries come back when their lease ends.
            LOG.log(Level.WARNING, "Webhook dispatch failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        deliver.close();
        registry.remove(pending);
    }
}
