package credits.application.service;

import credits.application.port.in.DeliverWebhooks;
import credits.application.port.out.DeliveryObserver;
import credits.application.port.out.WebhookSender;
import credits.domain.DeliveryAttempt;
import credits.domain.DeliveryStatus;
import credits.domain.DueDelivery;
import credits.domain.RetrySchedule;
import credits.domain.WebhooksPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One pass claims the deliveries due, sends them all at once (at most {@link #DELIVERIES_PER_PASS}, each
 * on its own virtual thread), and records each: delivered on a 2xx, else tried again after the next
 * delay of the schedule, or failed when none is left. A send still running at the deadline counts as
 * no answer and is interrupted, so one slow receiver holds a pass up by the deadline at most.
 */
public final class DeliverWebhooksService implements DeliverWebhooks, AutoCloseable {

    /** Longer than any send may take, so a delivery is never claimed again while its attempt runs. */
    static final Duration LEASE = Duration.ofSeconds(60);

    private final WebhooksPort webhooks;
    private final WebhookSender sender;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final DeliveryObserver observer;
    private final Duration deadline;
    private final ExecutorService sends = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-send-", 0).factory());

    /** With the spec's timeout, a little more than the sender's own so that its answer (and log line) comes first. */
    public DeliverWebhooksService(WebhooksPort webhooks, WebhookSender sender, RetrySchedule schedule, Clock clock,
                                  DeliveryObserver observer) {
        this(webhooks, sender, schedule, clock, observer, WebhookSender.TIMEOUT.plusSeconds(2));
    }

    /** {@code deadline}: how long a pass waits for a send before it counts it as no answer. */
    public DeliverWebhooksService(WebhooksPort webhooks, WebhookSender sender, RetrySchedule schedule, Clock clock,
                                  DeliveryObserver observer, Duration deadline) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(LEASE) >= 0) {
            throw new IllegalArgumentException("the send deadline must be above zero and below the lease of " + LEASE);
        }
    }

    @Override
    public int deliverOnce() {
        List<DueDelivery> due = webhooks.claimDue(Timestamps.now(clock), LEASE, DELIVERIES_PER_PASS);
        if (due.isEmpty()) {
            return 0;
        }
        List<Callable<Optional<Integer>>> attempts = new ArrayList<>(due.size());
        for (DueDelivery delivery : due) {
            attempts.add(() -> sender.send(delivery, Timestamps.now(clock)));
        }
        List<Future<Optional<Integer>>> answers;
        try {
            answers = sends.invokeAll(attempts, deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Shutting down: the claims lapse with their lease and another pass sends them.
            Thread.currentThread().interrupt();
            return 0;
        }
        for (int i = 0; i < due.size(); i++) {
            record(due.get(i), answerOf(answers.get(i)));
        }
        return due.size();
    }

    private static Optional<Integer> answerOf(Future<Optional<Integer>> answer) {
        try {
            return answer.get();
        } catch (CancellationException | ExecutionException late) {
            return Optional.empty(); // past the deadline, or a sender that broke its promise not to throw
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void record(DueDelivery delivery, Optional<Integer> status) {
        Instant at = Timestamps.now(clock);
        if (status.filter(code -> code >= 200 && code < 300).isPresent()) {
            webhooks.recordAttempt(new DeliveryAttempt(delivery.event().id(), delivery.endpointId(), DeliveryStatus.DELIVERED, status,
                    Optional.empty(), at));
            observer.delivered(delivery, Duration.between(delivery.event().createdAt(), at));
            return;
        }
        Optional<Instant> next = schedule.retryAfter(delivery.attemptsBefore() + 1, at);
        webhooks.recordAttempt(new DeliveryAttempt(delivery.event().id(), delivery.endpointId(),
                next.isPresent() ? DeliveryStatus.PENDING : DeliveryStatus.FAILED, status, next, at));
        observer.attemptFailed(delivery, status);
        if (next.isEmpty()) {
            observer.failed(delivery);
        }
    }

    /** Interrupts the sends still running; their deliveries are claimed again when the lease ends. */
    @Override
    public void close() {
        sends.shutdownNow();
    }
}
