package credits.application.service;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.adapters.persistence.memory.InMemoryWebhooksAdapter;
import credits.application.port.in.DeliverWebhooks;
import credits.application.port.in.TopupCredits;
import credits.application.port.out.DeliveryObserver;
import credits.application.port.out.EntryIds;
import credits.application.port.out.WebhookSender;
import credits.domain.CreditEventType;
import credits.domain.Delivery;
import credits.domain.DeliveryStatus;
import credits.domain.DueDelivery;
import credits.domain.EndpointId;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.RetrySchedule;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The dispatcher's pass over the in-memory outbox, with a fake receiver and a clock the test moves. */
class DeliverWebhooksServiceTest {

    private static final UserId PAYMENTS = UserId.of("payment_service");
    private static final UserId DEV = UserId.of("dev_42");
    private static final RetrySchedule FIVE_THEN_300 = RetrySchedule.seconds(List.of(5L, 300L));

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:30:00.000Z"));
    private final InMemoryWebhooksAdapter webhooks = new InMemoryWebhooksAdapter();
    private final InMemoryCreditsAdapter credits = new InMemoryCreditsAdapter(Optional.empty(), webhooks);
    private final TopupCreditsService topups = new TopupCreditsService(credits, clock, EntryIds.random());
    private final FakeReceivers receivers = new FakeReceivers();
    private final Outcomes outcomes = new Outcomes();
    private final AtomicInteger payments = new AtomicInteger();
    private DeliverWebhooksService dispatcher = dispatcher(FIVE_THEN_300, Duration.ofSeconds(5));

    @AfterEach
    void stopSends() {
        dispatcher.close();
    }

    private DeliverWebhooksService dispatcher(RetrySchedule schedule, Duration deadline) {
        return new DeliverWebhooksService(webhooks, receivers, schedule, clock, outcomes, deadline);
    }

    @Test
    void aDeliveryAnsweredWith2xxIsDeliveredAfterOneAttemptAndItsLatencyIsMeasured() {
        EndpointId endpoint = endpoint("https://ok.example/hook", url -> Optional.of(204));
        topup();
        clock.advance(Duration.ofMillis(250));

        assertThat(dispatcher.deliverOnce(), is(1));

        Delivery delivery = onlyDelivery(endpoint);
        assertThat(delivery.status(), is(DeliveryStatus.DELIVERED));
        assertThat(delivery.attempts(), is(1));
        assertThat(delivery.lastStatusCode(), is(Optional.of(204)));
        assertThat(receivers.sent, hasSize(1));
        assertThat(outcomes.latencies, contains(Duration.ofMillis(250)));
        assertThat("nothing is sent twice", dispatcher.deliverOnce(), is(0));
    }

    @Test
    void a500TwiceIsTriedAgainAfterEachDelayOfTheScheduleAndTheThirdAttemptDelivers() {
        AtomicInteger calls = new AtomicInteger();
        EndpointId endpoint = endpoint("https://flaky.example/hook", url -> Optional.of(calls.incrementAndGet() <= 2 ? 500 : 200));
        topup();

        assertThat(dispatcher.deliverOnce(), is(1));
        assertThat(onlyDelivery(endpoint).nextAttemptAt(), is(Optional.of(clock.instant().plusSeconds(5))));
        clock.advance(Duration.ofSeconds(4));
        assertThat("not due before its delay", dispatcher.deliverOnce(), is(0));
        clock.advance(Duration.ofSeconds(1));
        assertThat(dispatcher.deliverOnce(), is(1));
        assertThat(onlyDelivery(endpoint).status(), is(DeliveryStatus.PENDING));
        clock.advance(Duration.ofSeconds(300));
        assertThat(dispatcher.deliverOnce(), is(1));

        Delivery delivery = onlyDelivery(endpoint);
        assertThat(delivery.status(), is(DeliveryStatus.DELIVERED));
        assertThat(delivery.attempts(), is(3));
        assertThat("the same event every time", receivers.sent.stream().map(sent -> sent.delivery().event().id()).distinct().count(), is(1L));
        assertThat("each attempt at its own time (signed afresh)", receivers.sent.stream().map(Sent::at).distinct().count(), is(3L));
        assertThat(outcomes.failedAttempts.get(), is(2));
        assertThat(outcomes.failed.get(), is(0));
    }

    @Test
    void aDeliveryThatNeverSucceedsIsFailedAfterEveryAttemptOfTheScheduleAndNothingMoreIsSent() {
        EndpointId endpoint = endpoint("https://down.example/hook", url -> Optional.empty());
        topup();

        dispatcher.deliverOnce();
        clock.advance(Duration.ofSeconds(5));
        dispatcher.deliverOnce();
        clock.advance(Duration.ofSeconds(300));
        dispatcher.deliverOnce();
        clock.advance(Duration.ofDays(30));

        assertThat(dispatcher.deliverOnce(), is(0));
        Delivery delivery = onlyDelivery(endpoint);
        assertThat(delivery.status(), is(DeliveryStatus.FAILED));
        assertThat(delivery.attempts(), is(FIVE_THEN_300.maxAttempts()));
        assertThat(delivery.nextAttemptAt(), is(Optional.empty()));
        assertThat(receivers.sent, hasSize(3));
        assertThat(outcomes.failedAttempts.get(), is(3));
        assertThat(outcomes.failed.get(), is(1));
    }

    @Test
    void aDeletedEndpointGetsNothingMoreNotEvenItsPendingRetries() {
        EndpointId endpoint = endpoint("https://gone.example/hook", url -> Optional.of(503));
        topup();
        dispatcher.deliverOnce();

        webhooks.deleteEndpoint(endpoint, clock.instant());
        topup();
        clock.advance(Duration.ofHours(1));

        assertThat(dispatcher.deliverOnce(), is(0));
        assertThat(receivers.sent, hasSize(1));
    }

    @Test
    void aSlowReceiverHoldsAPassUpByTheDeadlineAtMostAndTheOthersAreDeliveredMeanwhile() {
        CountDownLatch slowStarted = new CountDownLatch(1);
        EndpointId slow = endpoint("https://slow.example/hook", url -> {
            slowStarted.countDown();
            try {
                new CountDownLatch(1).await(); // never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        });
        EndpointId fast = endpoint("https://fast.example/hook", url -> Optional.of(200));
        EndpointId alsoFast = endpoint("https://also-fast.example/hook", url -> Optional.of(200));
        dispatcher.close();
        dispatcher = dispatcher(FIVE_THEN_300, Duration.ofMillis(300));
        topup();

        long started = System.nanoTime();
        assertThat(dispatcher.deliverOnce(), is(3));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat("the pass waited about the deadline, not for the slow receiver: " + took, took, lessThan(Duration.ofSeconds(5)));
        assertThat(onlyDelivery(fast).status(), is(DeliveryStatus.DELIVERED));
        assertThat(onlyDelivery(alsoFast).status(), is(DeliveryStatus.DELIVERED));
        Delivery late = onlyDelivery(slow);
        assertThat("a send past the deadline counts as no answer", late.status(), is(DeliveryStatus.PENDING));
        assertThat(late.lastStatusCode(), is(Optional.empty()));
        assertThat(late.nextAttemptAt(), is(Optional.of(clock.instant().plusSeconds(5))));
        assertThat(slowStarted.getCount(), is(0L));
    }

    @Test
    void aPassSendsAtMostItsShareAndSaysItWasFullSoTheSchedulerRunsAnotherAtOnce() {
        for (int i = 0; i < DeliverWebhooks.DELIVERIES_PER_PASS + 2; i++) {
            endpoint("https://receiver-" + i + ".example/hook", url -> Optional.of(200));
        }
        topup();

        assertThat(dispatcher.deliverOnce(), is(DeliverWebhooks.DELIVERIES_PER_PASS));
        assertThat(dispatcher.deliverOnce(), is(2));
        assertThat(dispatcher.deliverOnce(), is(0));
        assertThat(outcomes.latencies, hasSize(DeliverWebhooks.DELIVERIES_PER_PASS + 2));
        assertThat(webhooks.pendingDeliveries(), is(0L));
    }

    @Test
    void aSenderThatThrowsCountsAsNoAnswerAndTheDeliveryIsTriedAgain() {
        EndpointId endpoint = endpoint("https://broken.example/hook", url -> {
            throw new IllegalStateException("a bug in the sender");
        });
        topup();

        assertThat(dispatcher.deliverOnce(), is(1));

        assertThat(onlyDelivery(endpoint).status(), is(DeliveryStatus.PENDING));
        assertThat(onlyDelivery(endpoint).attempts(), is(1));
    }

    private EndpointId endpoint(String url, Function<URI, Optional<Integer>> answer) {
        EndpointId id = EndpointId.random();
        webhooks.createEndpoint(new WebhookEndpoint(id, URI.create(url), Set.of(CreditEventType.TOPUP_CREDITED), Optional.empty(),
                WebhookSecret.random(), clock.instant()));
        receivers.answers.put(URI.create(url), answer);
        return id;
    }

    private void topup() {
        String payment = "pay_" + payments.incrementAndGet();
        topups.topup(new TopupCredits.Command(PAYMENTS, new IdempotencyKey(payment), DEV, Usdc.parse("10.00"),
                new LedgerEntry.Deposit(payment, Optional.empty())));
    }

    private Delivery onlyDelivery(EndpointId endpoint) {
        List<Delivery> deliveries = webhooks.deliveries(endpoint, Optional.empty(), 10).orElseThrow().deliveries();
        assertThat(deliveries, hasSize(1));
        assertThat(deliveries.stream().map(Delivery::type).toList(), everyItem(is(CreditEventType.TOPUP_CREDITED)));
        return deliveries.get(0);
    }

    private record Sent(DueDelivery delivery, Instant at) {
    }

    private static final class FakeReceivers implements WebhookSender {
        final Map<URI, Function<URI, Optional<Integer>>> answers = new ConcurrentHashMap<>();
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Integer> send(DueDelivery delivery, Instant at) {
            sent.add(new Sent(delivery, at));
            return answers.get(delivery.url()).apply(delivery.url());
        }
    }

    private static final class Outcomes implements DeliveryObserver {
        final List<Duration> latencies = new CopyOnWriteArrayList<>();
        final AtomicInteger failedAttempts = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void delivered(DueDelivery delivery, Duration latency) {
            latencies.add(latency);
        }

        @Override
        public void attemptFailed(DueDelivery delivery, Optional<Integer> status) {
            failedAttempts.incrementAndGet();
        }

        @Override
        public void failed(DueDelivery delivery) {
            failed.incrementAndGet();
        }
    }

    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(at -> at.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
