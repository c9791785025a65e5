package credits.domain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The events a decision tells, judged by {@link CreditState} once per move on the state after all of it. */
class CreditEventsTest {

    private static final UserId USER = UserId.of("dev");
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    private static final Supplier<EntryId> IDS = () -> new EntryId(UUID.randomUUID());
    private static final String DIGEST = "a".repeat(64);

    @Test
    void aRefundFollowedByItsImmediateExpiryIsOneMoveAndCrossesNothing() {
        Lot lot = Lot.opened(IDS.get(), USER, new LotTerms(LotCategory.PROMOTIONAL, 1, Optional.of(T0.plusSeconds(10))), 1,
                usdc("10.00"), T0);
        CreditState state = CreditState.of(USER, Optional.of(new Credit(USER, usdc("10.00"), Usdc.ZERO, T0, T0)), List.of(lot))
                .withAlert(new LowBalanceAlert(Optional.of(usdc("5.00")), false));
        Change deducted = apply(state.deduct(deduction("10.00", T0), IDS));
        assertThat(types(deducted), contains(CreditEventType.BALANCE_LOW, CreditEventType.BALANCE_DEPLETED));

        Refund refund = new Refund(IDS.get(), deducted.move().orElseThrow().id(), Optional.of(usdc("4.00")), "bad charge",
                identity(Operation.REFUND), T0.plusSeconds(20));
        Change refunded = apply(state.after(deducted).refund(refund, deducted.move().orElseThrow(), List.of(), IDS));

        assertThat(refunded.credit().balance(), is(Usdc.ZERO));
        assertThat(types(refunded), contains(CreditEventType.CREDITS_EXPIRED));
    }

    @Test
    void theLowFlagCarriesToTheNextDecisionSoASecondMoveBelowFiresNothing() {
        CreditState state = funded("10.00").withAlert(new LowBalanceAlert(Optional.of(usdc("5.00")), false));

        Change first = apply(state.deduct(deduction("6.00", T0), IDS));
        Change second = apply(state.after(first).deduct(deduction("1.00", T0), IDS));

        assertThat(first.lowAlertAfter(), is(Optional.of(true)));
        assertThat(types(second), is(empty()));
        assertThat(state.after(first).after(second).alert().low(), is(true));
    }

    @Test
    void aMoveLandingExactlyOnTheThresholdIsNotBelowIt() {
        CreditState state = funded("10.00").withAlert(new LowBalanceAlert(Optional.of(usdc("5.00")), false));

        assertThat(types(apply(state.deduct(deduction("5.00", T0), IDS))), is(empty()));
        assertThat(types(apply(state.deduct(deduction("5.0000001", T0), IDS))), contains(CreditEventType.BALANCE_LOW));
    }

    @Test
    void aRecoveryToExactlyTheThresholdIsARecovery() {
        CreditState low = funded("2.00").withAlert(new LowBalanceAlert(Optional.of(usdc("5.00")), true));

        Change granted = apply(low.open(grant("3.00"), IDS));

        assertThat(types(granted), contains(CreditEventType.BALANCE_RECOVERED));
        assertThat(granted.lowAlertAfter(), is(Optional.of(false)));
    }

    @Test
    void aZeroThresholdIsRefusedForNoThresholdIsTheEmptyOne() {
        assertThrows(IllegalArgumentException.class, () -> new LowBalanceAlert(Optional.of(Usdc.ZERO), false));
    }

    @Test
    void anEndpointTakesOnlyAnHttpOrHttpsUrlWithAHostAndNoCredentials() {
        WebhookEndpoint.requireUrl(URI.create("http://127.0.0.1:8080/hooks"));
        WebhookEndpoint.requireUrl(URI.create("https://billing.internal/credits?x=1"));
        for (String bad : List.of("ftp://host/x", "file:///etc/passwd", "https://user:pw@host/", "mailto:a@b", "/relative",
                "https:///nohost", "https://host/#fragment")) {
            assertThrows(InvalidValueException.class, () -> WebhookEndpoint.requireUrl(URI.create(bad)), bad);
        }
        assertThrows(InvalidValueException.class, () -> new WebhookEndpoint(EndpointId.random(), URI.create("https://h/"),
                EnumSet.noneOf(CreditEventType.class), Optional.empty(), WebhookSecret.random(), T0));
    }

    @Test
    void aSecretIsShownInItsWhsecFormAndNeverByToString() {
        WebhookSecret secret = WebhookSecret.random();

        assertThat(secret.text().startsWith("whsec_"), is(true));
        assertThat(WebhookSecret.parse(secret.text()), is(secret));
        assertThat(secret.toString().contains(secret.text().substring(6)), is(false));
    }

    @Test
    void aFailedAttemptIsRetriedAfterEachDelayOfTheScheduleThenGivenUp() {
        RetrySchedule schedule = RetrySchedule.seconds(List.of(5L, 300L));

        assertThat(schedule.retryAfter(1, T0), is(Optional.of(T0.plus(Duration.ofSeconds(5)))));
        assertThat(schedule.retryAfter(2, T0), is(Optional.of(T0.plus(Duration.ofSeconds(300)))));
        assertThat(schedule.retryAfter(3, T0), is(Optional.empty()));
        assertThat(schedule.maxAttempts(), is(3));
        assertThat(RetrySchedule.DEFAULT.maxAttempts(), is(8));
    }

    private static CreditState funded(String amount) {
        Lot lot = Lot.opened(IDS.get(), USER, LotTerms.DEFAULT_GRANT, 1, usdc(amount), T0);
        return CreditState.of(USER, Optional.of(new Credit(USER, usdc(amount), Usdc.ZERO, T0, T0)), List.of(lot));
    }

    private static Change apply(Decision decision) {
        return ((Decision.Apply) decision).change();
    }

    private static List<CreditEventType> types(Change change) {
        return change.events().stream().map(CreditEvent::type).toList();
    }

    private static Deduction deduction(String amount, Instant at) {
        return new Deduction(IDS.get(), USER, usdc(amount), Optional.empty(), identity(Operation.DEDUCTION), at);
    }

    private static Grant grant(String amount) {
        return new Grant(IDS.get(), USER, usdc(amount), LotTerms.DEFAULT_GRANT, Optional.empty(), identity(Operation.GRANT), T0);
    }

    private static Idempotency identity(Operation operation) {
        return new Idempotency(UserId.of("admin"), operation, new IdempotencyKey("k-" + UUID.randomUUID()), DIGEST);
    }

    private static Usdc usdc(String text) {
        return Usdc.parse(text);
    }
}
