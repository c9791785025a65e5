package credits.application.service;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.ListTransactions;
import credits.application.port.in.RefundDeduction;
import credits.domain.LotTerms;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The money-moving use cases over the in-memory adapter: what they hand the port, and what comes back. */
class MoneyMoveServicesTest {

    private static final UserId ADMIN = UserId.of("admin_1");
    private static final UserId METER = UserId.of("meter_gateway");
    private static final UserId DEV = UserId.of("dev_42");
    private static final Instant NOW = Instant.parse("2024-01-15T10:30:00.123456Z");

    private final InMemoryCreditsAdapter credits = new InMemoryCreditsAdapter();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AtomicLong sequence = new AtomicLong();
    private final GrantCreditsService grant = new GrantCreditsService(credits, clock, this::nextId);
    private final DeductCreditsService deduct = new DeductCreditsService(credits, clock, this::nextId);
    private final RefundDeductionService refund = new RefundDeductionService(credits, clock, this::nextId);
    private final ListTransactionsService history = new ListTransactionsService(credits, clock);

    private EntryId nextId() {
        return new EntryId(new UUID(0, sequence.incrementAndGet()));
    }

    @Test
    void aGrantIsStampedWithTheInjectedClockAndIdAndCarriesItsReason() {
        LedgerEntry entry = applied(grant.grant(grantOf("25.50", "key-1", Optional.of("welcome bonus"))));

        assertThat(entry.id(), is(new EntryId(new UUID(0, 1))));
        assertThat(entry.type(), is(EntryType.GRANT));
        assertThat(entry.amount(), is(Usdc.parse("25.50")));
        assertThat(entry.balanceAfter(), is(Usdc.parse("25.50")));
        assertThat(entry.reason(), is(Optional.of("welcome bonus")));
        assertThat(entry.createdAt(), is(Instant.parse("2024-01-15T10:30:00.123Z")));
    }

    @Test
    void theSameGrantRetriedWithItsKeyReplaysTheOriginalAndMovesNothing() {
        LedgerEntry first = applied(grant.grant(grantOf("10", "key-1", Optional.empty())));

        MoveOutcome retry = grant.grant(grantOf("10.00", "key-1", Optional.empty()));

        assertThat(retry, is(new MoveOutcome.Replayed(first)));
        assertThat(credits.find(DEV, clock.instant()).orElseThrow().balance(), is(Usdc.parse("10")));
    }

    @Test
    void theSameKeyOnADifferentGrantIsRefused() {
        grant.grant(grantOf("10", "key-1", Optional.empty()));

        assertThat(grant.grant(grantOf("11", "key-1", Optional.empty())), instanceOf(MoveOutcome.KeyReused.class));
        assertThat(grant.grant(grantOf("10", "key-1", Optional.of("other reason"))), instanceOf(MoveOutcome.KeyReused.class));
    }

    @Test
    void aDeductionLargerThanTheBalanceIsRefusedAndWritesNothing() {
        grant.grant(grantOf("1.00", "g", Optional.empty()));

        MoveOutcome outcome = deduct.deduct(deductionOf("2.50", "d-1"));

        assertThat(outcome, is(new MoveOutcome.InsufficientBalance(Usdc.parse("1.00"), Usdc.parse("2.50"))));
        assertThat(credits.find(DEV, clock.instant()).orElseThrow().balance(), is(Usdc.parse("1.00")));
        assertThat(history.list(new ListTransactions.Query(DEV, Optional.empty(), 50)).entries().size(), is(1));
    }

    @Test
    void aRefundWithoutAmountGivesBackTheUnrefundedRestOfTheDeduction() {
        grant.grant(grantOf("5", "g", Optional.empty()));
        LedgerEntry deduction = applied(deduct.deduct(deductionOf("2", "d-1")));
        applied(refund.refund(new RefundDeduction.Command(ADMIN, new IdempotencyKey("r-1"), deduction.id(),
                Optional.of(Usdc.parse("0.5")), "partial outage")));

        LedgerEntry rest = applied(refund.refund(new RefundDeduction.Command(ADMIN, new IdempotencyKey("r-2"), deduction.id(),
                Optional.empty(), "rest of the outage")));

        assertThat(rest.amount(), is(Usdc.parse("1.5")));
        assertThat(rest.deductionId(), is(Optional.of(deduction.id())));
        assertThat(rest.balanceAfter(), is(Usdc.parse("5")));
    }

    @Test
    void aRefundRetriedWithoutAmountReplaysEvenThoughNothingIsLeftToRefund() {
        grant.grant(grantOf("5", "g", Optional.empty()));
        LedgerEntry deduction = applied(deduct.deduct(deductionOf("2", "d-1")));
        RefundDeduction.Command all = new RefundDeduction.Command(ADMIN, new IdempotencyKey("r-1"), deduction.id(),
                Optional.empty(), "bad charge");
        LedgerEntry first = applied(refund.refund(all));

        assertThat(refund.refund(all), is(new MoveOutcome.Replayed(first)));
    }

    @Test
    void historyLimitsOutsideOneToTwoHundredAreRefused() {
        assertThrows(InvalidValueException.class, () -> new ListTransactions.Query(DEV, Optional.empty(), 0));
        assertThrows(InvalidValueException.class, () -> new ListTransactions.Query(DEV, Optional.empty(), 201));
    }

    @Test
    void aReasonOverAThousandCharactersIsRefusedBeforeAnythingMoves() {
        assertThrows(InvalidValueException.class, () -> grantOf("1", "k", Optional.of("x".repeat(1001))));
    }

    private GrantCredits.Command grantOf(String amount, String key, Optional<String> reason) {
        return new GrantCredits.Command(ADMIN, new IdempotencyKey(key), DEV, Usdc.parse(amount), LotTerms.DEFAULT_GRANT, reason);
    }

    private DeductCredits.Command deductionOf(String amount, String key) {
        return new DeductCredits.Command(METER, new IdempotencyKey(key), DEV, Usdc.parse(amount), Optional.of("api_weather/forecast"));
    }

    private static LedgerEntry applied(MoveOutcome outcome) {
        assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        return ((MoveOutcome.Applied) outcome).entry();
    }
}
