package credits.adapters.persistence;

import static credits.adapters.persistence.Moves.ADMIN;
import static credits.adapters.persistence.Moves.METER;
import static credits.adapters.persistence.Moves.freshKey;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import credits.domain.CreditEvent;
import credits.domain.CreditEventType;
import credits.domain.CreditsPort;
import credits.domain.Delivery;
import credits.domain.DeliveryAttempt;
import credits.domain.DeliveryPage;
import credits.domain.DeliveryStatus;
import credits.domain.DueDelivery;
import credits.domain.EndpointId;
import credits.domain.EventId;
import credits.domain.HistoryCursor;
import credits.domain.LotCategory;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhookSecret;
import credits.domain.WebhooksPort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every pair of {@link CreditsPort} and {@link WebhooksPort} adapters must do for alerts: a
 * move's events are decided in the move and stored with it, one delivery per endpoint that wants
 * them, and the outbox hands each due delivery to one claim at a time. The adapters under test have
 * a default low-balance threshold of {@link #DEFAULT_THRESHOLD}.
 *
 * <p>Each test creates its own endpoint first, so the endpoint sees only that test's events (the
 * tests of one class run one after the other).
 */
public abstract class AlertsAndWebhooksContract {

    protected static final Usdc DEFAULT_THRESHOLD = usdc("1.00");
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(60);

    protected abstract CreditsPort credits();

    protected abstract WebhooksPort webhooks();

    private EndpointId endpoint;

    @BeforeEach
    void createEndpoint() {
        endpoint = endpoint(EnumSet.allOf(CreditEventType.class), T0.minusSeconds(1));
    }

    private EndpointId endpoint(Set<CreditEventType> events, Instant at) {
        WebhookEndpoint created = new WebhookEndpoint(EndpointId.random(), URI.create("http://127.0.0.1:9/hooks"), events,
                Optional.of("test"), WebhookSecret.random(), at);
        webhooks().createEndpoint(created);
        return created.id();
    }

    @Test
    void aDownwardCrossingFiresOneLowAnotherMoveBelowFiresNothingAndRisingAboveFiresRecovered() {
        UserId user = fundedUser("10.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("5.00")), T0);

        deduct(user, "6.00");
        deduct(user, "1.00");
        grant(user, "5.00");

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_LOW, CreditEventType.BALANCE_RECOVERED));
    }

    @Test
    void aMoveFromAboveTheThresholdToZeroFiresLowThenDepleted() {
        UserId user = fundedUser("10.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("5.00")), T0);

        deduct(user, "10.00");

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_LOW, CreditEventType.BALANCE_DEPLETED));
    }

    @Test
    void anEventTellsTheBalanceAfterTheMoveTheThresholdAndTheEntryItIsAbout() {
        UserId user = fundedUser("10.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("5.00")), T0);

        MoveOutcome.Applied deducted = (MoveOutcome.Applied) deduct(user, "7.50");

        CreditEvent low = dueEvents().get(0);
        assertThat(low.type(), is(CreditEventType.BALANCE_LOW));
        assertThat(low.userId(), is(user));
        assertThat(low.balance(), is(usdc("2.50")));
        assertThat(low.available(), is(usdc("2.50")));
        assertThat(low.threshold(), is(Optional.of(usdc("5.00"))));
        assertThat(low.entryId(), is(Optional.of(deducted.entry().id())));
        assertThat(low.holdId(), is(Optional.empty()));
    }

    @Test
    void aRefusedMoveRecordsNoEvent() {
        UserId user = fundedUser("2.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("1.50")), T0);

        assertThat(deduct(user, "3.00"), instanceOf(MoveOutcome.InsufficientBalance.class));

        assertThat(types(endpoint), is(empty()));
    }

    @Test
    void settingAThresholdWhileAlreadyBelowItFiresNothingAndNoRecoveredFollows() {
        UserId user = fundedUser("3.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("5.00")), T0);

        deduct(user, "1.00");
        grant(user, "10.00");

        assertThat(types(endpoint), is(empty()));
    }

    @Test
    void depletedFiresWhenAvailableReachesZeroWhateverTheThreshold() {
        UserId user = fundedUser("0.50"); // already below the default threshold

        deduct(user, "0.50");

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_DEPLETED));
    }

    @Test
    void theDefaultThresholdAppliesUntilTheUserSetsOneAndAgainAfterTheUserRemovesIt() {
        UserId user = fundedUser("3.00");
        assertThat(credits().lowBalanceThreshold(user), is(Optional.of(DEFAULT_THRESHOLD)));

        assertThat(credits().setLowBalanceThreshold(user, Optional.of(usdc("2.00")), T0), is(Optional.of(usdc("2.00"))));
        assertThat(credits().lowBalanceThreshold(user), is(Optional.of(usdc("2.00"))));
        assertThat(credits().setLowBalanceThreshold(user, Optional.empty(), T0), is(Optional.of(DEFAULT_THRESHOLD)));

        deduct(user, "2.50");

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_LOW));
        assertThat(dueEvents().get(0).threshold(), is(Optional.of(DEFAULT_THRESHOLD)));
    }

    @Test
    void settingAThresholdOpensTheUsersCreditAtZero() {
        UserId user = UserId.of("user_" + UUID.randomUUID());

        credits().setLowBalanceThreshold(user, Optional.of(usdc("4.00")), T0);

        assertThat(credits().find(user, T0).orElseThrow().balance(), is(Usdc.ZERO));
        assertThat(credits().lowBalanceThreshold(user), is(Optional.of(usdc("4.00"))));
    }

    @Test
    void aHoldAndItsCaptureAreMovesThatCross() {
        UserId user = fundedUser("10.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("5.00")), T0);

        MoveOutcome.Applied hold = (MoveOutcome.Applied) credits().placeHold(Moves.hold(METER, freshKey(), user, usdc("6.00"), T0));
        credits().release(Moves.release(METER, freshKey(), hold.entry().holdId().orElseThrow(), T0));
        MoveOutcome.Applied second = (MoveOutcome.Applied) credits().placeHold(Moves.hold(METER, freshKey(), user, usdc("10.00"), T0));
        credits().capture(Moves.capture(METER, freshKey(), second.entry().holdId().orElseThrow(), Optional.empty(), T0));

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_LOW, CreditEventType.BALANCE_RECOVERED,
                CreditEventType.BALANCE_LOW, CreditEventType.BALANCE_DEPLETED));
        assertThat(dueEvents().get(0).holdId(), is(hold.entry().holdId()));
    }

    @Test
    void aTopUpIsTold() {
        UserId user = fundedUser("10.00");

        credits().topup(Moves.topup(Moves.ADMIN, freshKey(), user, usdc("25.00"), "pay_" + UUID.randomUUID(), T0));

        assertThat(types(endpoint), contains(CreditEventType.TOPUP_CREDITED));
        assertThat(dueEvents().get(0).balance(), is(usdc("35.00")));
    }

    @Test
    void anExpiredLotAndAnExpiredHoldAreToldWhenTheirExpiriesAreWritten() {
        UserId user = fundedUser("10.00");
        Instant expiry = T0.plusSeconds(600);
        credits().grant(Moves.grant(ADMIN, freshKey(), user, usdc("4.00"),
                new LotTerms(LotCategory.PROMOTIONAL, 1, Optional.of(expiry)), T0));
        MoveOutcome.Applied hold = (MoveOutcome.Applied) credits().placeHold(
                Moves.hold(METER, freshKey(), user, usdc("1.00"), Duration.ofSeconds(60), T0));

        credits().settleExpiries(expiry, 1000);

        assertThat(types(endpoint), contains(CreditEventType.HOLD_EXPIRED, CreditEventType.CREDITS_EXPIRED));
        CreditEvent holdExpired = dueEvents(expiry).get(0);
        assertThat(holdExpired.holdId(), is(hold.entry().holdId()));
    }

    @Test
    void sixteenConcurrentDeductionsAcrossTheThresholdFireExactlyOneLow() throws Exception {
        UserId user = fundedUser("16.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("8.50")), T0);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MoveOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return deduct(user, "0.75");
                }));
            }
            start.countDown();
            for (Future<MoveOutcome> outcome : outcomes) {
                assertThat(outcome.get(), instanceOf(MoveOutcome.Applied.class));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(types(endpoint), contains(CreditEventType.BALANCE_LOW));
    }

    @Test
    void anEndpointGetsOnlyTheTypesItWantsAndOnlyEventsRecordedAfterItWasCreated() {
        UserId user = fundedUser("3.00");
        deduct(user, "3.00");
        EndpointId topups = endpoint(EnumSet.of(CreditEventType.TOPUP_CREDITED), T0);

        grant(user, "1.00");
        credits().topup(Moves.topup(ADMIN, freshKey(), user, usdc("1.00"), "pay_" + UUID.randomUUID(), T0));
        deduct(user, "2.00");

        assertThat(types(topups), contains(CreditEventType.TOPUP_CREDITED));
    }

    @Test
    void aDeletedEndpointGetsNothingMorePendingDeliveriesIncluded() {
        UserId user = fundedUser("1.00");
        deduct(user, "1.00");

        assertThat(webhooks().deleteEndpoint(endpoint, T0), is(true));
        grant(user, "1.00");
        deduct(user, "1.00");

        assertThat(webhooks().deliveries(endpoint, Optional.empty(), 10), is(Optional.empty()));
        assertThat(webhooks().claimDue(T0.plusSeconds(1), LEASE, 1000).stream()
                .filter(due -> due.endpointId().equals(endpoint)).toList(), is(empty()));
        assertThat(webhooks().deleteEndpoint(endpoint, T0), is(false));
        assertThat(webhooks().endpoints().stream().map(WebhookEndpoint::id).toList().contains(endpoint), is(false));
    }

    @Test
    void aClaimedDeliveryIsNotClaimedAgainUntilItsLeaseEnds() {
        UserId user = fundedUser("0.50");
        deduct(user, "0.50"); // depleted only: already below the default threshold
        Instant now = T0.plusSeconds(1);

        assertThat(claimedHere(now), hasSize(1));
        assertThat(claimedHere(now.plus(LEASE).minusMillis(1)), is(empty()));
        assertThat(claimedHere(now.plus(LEASE)), hasSize(1));
    }

    @Test
    void anAttemptsOutcomeIsWhatTheDeliveriesListShows() {
        UserId user = fundedUser("0.50");
        deduct(user, "0.50");
        Instant now = T0.plusSeconds(1);
        DueDelivery due = claimedHere(now).get(0);
        assertThat(due.attemptsBefore(), is(0));

        Instant retryAt = now.plusSeconds(5);
        webhooks().recordAttempt(new DeliveryAttempt(due.event().id(), endpoint, DeliveryStatus.PENDING, Optional.of(500),
                Optional.of(retryAt), now));
        Delivery pending = deliveries(endpoint).get(0);
        assertThat(pending.status(), is(DeliveryStatus.PENDING));
        assertThat(pending.attempts(), is(1));
        assertThat(pending.lastStatusCode(), is(Optional.of(500)));
        assertThat(pending.nextAttemptAt(), is(Optional.of(retryAt)));
        assertThat(claimedHere(retryAt.minusMillis(1)), is(empty()));
        assertThat(claimedHere(retryAt).get(0).attemptsBefore(), is(1));

        webhooks().recordAttempt(new DeliveryAttempt(due.event().id(), endpoint, DeliveryStatus.DELIVERED, Optional.of(204),
                Optional.empty(), retryAt));
        Delivery delivered = deliveries(endpoint).get(0);
        assertThat(delivered.status(), is(DeliveryStatus.DELIVERED));
        assertThat(delivered.attempts(), is(2));
        assertThat(delivered.nextAttemptAt(), is(Optional.empty()));
        assertThat(claimedHere(retryAt.plus(Duration.ofDays(1))), is(empty()));

        // A late outcome of an attempt whose lease lapsed changes nothing once the delivery is done.
        webhooks().recordAttempt(new DeliveryAttempt(due.event().id(), endpoint, DeliveryStatus.FAILED, Optional.empty(),
                Optional.empty(), retryAt));
        assertThat(deliveries(endpoint).get(0).status(), is(DeliveryStatus.DELIVERED));
    }

    @Test
    void concurrentClaimsNeverHandOneDeliveryToTwoClaimers() throws Exception {
        UserId user = fundedUser("40.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("100.00")), T0);
        for (int i = 0; i < 20; i++) {
            grant(user, "100.00"); // each rise above 100 and fall below is a crossing pair
            deduct(user, "100.00");
        }
        int events = types(endpoint).size();
        assertThat(events, is(39)); // 20 lows, 19 recoveries
        Instant now = T0.plusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<DueDelivery>>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return webhooks().claimDue(now, LEASE, 3);
                }));
            }
            start.countDown();
            List<String> claimed = new ArrayList<>();
            for (Future<List<DueDelivery>> claim : claims) {
                claim.get().stream().filter(due -> due.endpointId().equals(endpoint))
                        .forEach(due -> claimed.add(due.event().id().toString()));
            }
            assertThat(Set.copyOf(claimed).size(), is(claimed.size()));
            // Nothing was lost either: what no claim took is still there to claim.
            assertThat(claimed.size() + claimedHere(now).size(), is(events));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theDeliveriesListPagesNewestFirst() {
        UserId user = fundedUser("1.00");
        credits().setLowBalanceThreshold(user, Optional.of(usdc("0.50")), T0);
        deduct(user, "1.00"); // low, depleted
        grant(user, "1.00"); // recovered

        DeliveryPage first = webhooks().deliveries(endpoint, Optional.empty(), 2).orElseThrow();
        assertThat(first.deliveries().stream().map(Delivery::type).toList(),
                contains(CreditEventType.BALANCE_RECOVERED, CreditEventType.BALANCE_DEPLETED));
        HistoryCursor next = first.next().orElseThrow();
        DeliveryPage second = webhooks().deliveries(endpoint, Optional.of(next), 2).orElseThrow();
        assertThat(second.deliveries().stream().map(Delivery::type).toList(), contains(CreditEventType.BALANCE_LOW));
        assertThat(second.next(), is(Optional.empty()));
    }

    // ---- helpers ----

    /** A user with a credit of {@code amount} in one lot that never expires (a grant: no event). */
    private UserId fundedUser(String amount) {
        UserId user = UserId.of("user_" + UUID.randomUUID());
        grant(user, amount);
        return user;
    }

    private void grant(UserId user, String amount) {
        assertThat(credits().grant(Moves.grant(ADMIN, freshKey(), user, usdc(amount), Optional.empty(), T0)),
                instanceOf(MoveOutcome.Applied.class));
    }

    private MoveOutcome deduct(UserId user, String amount) {
        return credits().deduct(Moves.deduction(METER, freshKey(), user, usdc(amount), Optional.empty(), T0));
    }

    /** The types of the endpoint's deliveries, oldest first. */
    private List<CreditEventType> types(EndpointId id) {
        return deliveries(id).reversed().stream().map(Delivery::type).toList();
    }

    private List<Delivery> deliveries(EndpointId id) {
        return webhooks().deliveries(id, Optional.empty(), 100).orElseThrow().deliveries();
    }

    /** This test's endpoint's due events, oldest first, claimed (and so leased) at a time after every move. */
    private List<CreditEvent> dueEvents() {
        return dueEvents(T0);
    }

    private List<CreditEvent> dueEvents(Instant after) {
        List<EventId> order = deliveries(endpoint).reversed().stream().map(Delivery::eventId).toList();
        List<CreditEvent> events = new ArrayList<>(claimedHere(after.plusSeconds(1)).stream().map(DueDelivery::event).toList());
        events.sort(Comparator.comparing(event -> order.indexOf(event.id())));
        return events;
    }

    private List<DueDelivery> claimedHere(Instant now) {
        return webhooks().claimDue(now, LEASE, 1000).stream().filter(due -> due.endpointId().equals(endpoint)).toList();
    }

    private static Usdc usdc(String text) {
        return Usdc.parse(text);
    }
}
