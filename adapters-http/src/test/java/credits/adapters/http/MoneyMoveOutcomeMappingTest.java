package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.Problems;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.RefundDeduction;
import credits.application.port.in.TopupCredits;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.LotCategory;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TOPUPS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Requests.IDEMPOTENT_REPLAYED;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Each outcome a money move can have, as HTTP: status, code, detail, the replay header; and what the
 * handlers hand to the use cases (the authenticated caller as the idempotency scope, the parsed fields).
 */
@RoutingTest
class MoneyMoveOutcomeMappingTest {

    private static final UseCases USE_CASES = ApiFixture.mockedUseCases();
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);
    private static final String DEPOSIT_TOKEN = bearer("payments", DEPOSIT);
    private static final String DEDUCTION_ID = "123e4567-e89b-12d3-a456-426614174000";
    private static final LedgerEntry DEDUCTION = new LedgerEntry(new EntryId(new UUID(0, 8)), UserId.of("user_1"), EntryType.DEDUCTION,
            Usdc.parse("0.0100000"), Usdc.parse("99.99"), Optional.of("api_weather/forecast"), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Instant.parse("2024-01-15T10:30:00Z"))
            .chained(LedgerHash.GENESIS);
    private static final LedgerEntry REFUND = new LedgerEntry(new EntryId(new UUID(0, 7)), UserId.of("user_1"), EntryType.REFUND,
            Usdc.parse("0.25"), Usdc.parse("100.25"), Optional.empty(), Optional.of("bad charge"),
            Optional.of(EntryId.parse(DEDUCTION_ID)), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
            Instant.parse("2024-01-15T10:30:00.5Z")).chained(DEDUCTION.hash().orElseThrow());

    private final DirectClient client;

    MoneyMoveOutcomeMappingTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, USE_CASES, AuthSettings.hmac(SECRET));
    }

    @BeforeEach
    void freshMocks() {
        reset(USE_CASES.grantCredits(), USE_CASES.topupCredits(), USE_CASES.deductCredits(), USE_CASES.refundDeduction());
    }

    private ClientResponseTyped<String> deduct() {
        return post(client, DEDUCTIONS, METER_TOKEN, "meter-key-1",
                "{\"user_id\":\"user_1\",\"amount_usdc\":\"0.0100000\",\"reference\":\"api_weather/forecast\"}");
    }

    private ClientResponseTyped<String> refund() {
        return post(client, REFUNDS, ADMIN_TOKEN, "refund-key-1", "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"bad charge\"}");
    }

    @Test
    void appliedMoveIsCreatedWithTheTransactionWithEveryMemberPresent() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.Applied(REFUND));

        ClientResponseTyped<String> response = refund();

        assertThat(response.status().code(), is(201));
        assertThat(response.headers().contentType().map(Object::toString).orElse(""), is("application/json"));
        assertThat(response.headers().contains(IDEMPOTENT_REPLAYED), is(false));
        assertThat(response.entity(), is("{\"id\":\"00000000-0000-0000-0000-000000000007\",\"type\":\"refund\",\"user_id\":\"user_1\","
                + "\"amount_usdc\":\"0.25\",\"balance_after_usdc\":\"100.25\",\"reference\":null,\"reason\":\"bad charge\","
                + "\"deduction_id\":\"" + DEDUCTION_ID + "\",\"hold_id\":null,\"grant_id\":null,\"drawn_from\":[],"
                + "\"hash\":\"" + LedgerHash.of(DEDUCTION.hash().orElseThrow(), REFUND) + "\","
                + "\"created_at\":\"2024-01-15T10:30:00.500Z\"}"));
    }

    @Test
    void replayedMoveIsCreatedAgainWithTheSameBodyAndTheReplayHeader() {
        when(USE_CASES.deductCredits().deduct(any()))
                .thenReturn(new MoveOutcome.Applied(DEDUCTION))
                .thenReturn(new MoveOutcome.Replayed(DEDUCTION));

        ClientResponseTyped<String> first = deduct();
        ClientResponseTyped<String> replay = deduct();

        assertThat(replay.status().code(), is(201));
        assertThat(replay.headers().first(IDEMPOTENT_REPLAYED).orElse(""), is("true"));
        assertThat(replay.entity(), is(first.entity()));
        assertThat(json(replay).path("amount_usdc").asText(), is("0.01"));
        assertThat(json(replay).path("reason").isNull(), is(true));
    }

    @Test
    void reusedKeyIsAConflict() {
        when(USE_CASES.deductCredits().deduct(any())).thenReturn(new MoveOutcome.KeyReused());

        assertProblem(deduct(), 409, "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void insufficientBalanceIsPaymentRequiredSayingWhatIsAvailable() {
        when(USE_CASES.deductCredits().deduct(any())).thenReturn(new MoveOutcome.InsufficientBalance(Usdc.parse("1"), Usdc.parse("2.5")));

        JsonNode problem = assertProblem(deduct(), 402, "INSUFFICIENT_BALANCE");

        assertThat(problem.path("title").asText(), is("Payment Required"));
        assertThat(problem.path("detail").asText(), is("Available balance 1.00 is less than 2.50"));
        assertThat(problem.has("errors"), is(false));
    }

    @Test
    void unknownDeductionIsNotFound() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.DeductionNotFound());

        assertProblem(refund(), 404, "NOT_FOUND");
    }

    @Test
    void refundBeyondTheDeductionIsAConflictSayingWhatIsStillRefundable() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.RefundExceedsDeduction(Usdc.parse("0.125")));

        JsonNode problem = assertProblem(refund(), 409, "REFUND_EXCEEDS_DEDUCTION");

        assertThat(problem.path("detail").asText(), containsString("0.125 of it is still refundable"));
    }

    @Test
    void aGrantPastTheLargestBalanceIsAConflictNamingTheAmountAndTheLimit() {
        when(USE_CASES.grantCredits().grant(any())).thenReturn(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE));

        JsonNode problem = assertProblem(post(client, GRANT, ADMIN_TOKEN, "grant-key-2",
                "{\"amount_usdc\":\"25.50\",\"user_id\":\"user_123\"}"), 409, "BALANCE_LIMIT_EXCEEDED");

        assertThat(problem.path("detail").asText(), containsString("amount_usdc"));
        assertThat(problem.path("detail").asText(), containsString("922337203685.4775807"));
    }

    @Test
    void anAlreadyCreditedPaymentIsAConflictWithoutFieldErrors() {
        when(USE_CASES.topupCredits().topup(any())).thenReturn(new MoveOutcome.PaymentAlreadyCredited());

        JsonNode problem = assertProblem(post(client, TOPUPS, DEPOSIT_TOKEN, "dep-key-1",
                "{\"user_id\":\"user_123\",\"amount_usdc\":\"50\",\"payment_reference\":\"0xabc\"}"), 409, "PAYMENT_ALREADY_CREDITED");

        assertThat(problem.path("detail").asText(), containsString("payment_reference"));
        assertThat(problem.has("errors"), is(false));
    }

    @Test
    void topupIsAskedForWithThePaymentServiceAsIdempotencyScopeAndTheParsedDeposit() {
        when(USE_CASES.topupCredits().topup(any())).thenReturn(new MoveOutcome.Applied(REFUND));
        ArgumentCaptor<TopupCredits.Command> command = ArgumentCaptor.forClass(TopupCredits.Command.class);

        post(client, TOPUPS, DEPOSIT_TOKEN, "dep-key-1",
                "{\"memo\":\"USDC on Base\",\"payment_reference\":\"0xabc\",\"amount_usdc\":\"50.0\",\"user_id\":\"user_123\"}");

        verify(USE_CASES.topupCredits()).topup(command.capture());
        assertThat(command.getValue(), is(new TopupCredits.Command(UserId.of("payments"), new IdempotencyKey("dep-key-1"),
                UserId.of("user_123"), Usdc.parse("50"), new LedgerEntry.Deposit("0xabc", Optional.of("USDC on Base")))));
    }

    @Test
    void grantTermsReachTheUseCaseAsSent() {
        when(USE_CASES.grantCredits().grant(any())).thenReturn(new MoveOutcome.Applied(REFUND));
        ArgumentCaptor<GrantCredits.Command> command = ArgumentCaptor.forClass(GrantCredits.Command.class);

        post(client, GRANT, ADMIN_TOKEN, "grant-key-3", "{\"amount_usdc\":\"1\",\"user_id\":\"user_123\",\"category\":\"paid\","
                + "\"priority\":7,\"expires_at\":\"2025-01-01T00:00:00.250+00:00\"}");

        verify(USE_CASES.grantCredits()).grant(command.capture());
        assertThat(command.getValue().terms(), is(new LotTerms(LotCategory.PAID, 7, Optional.of(Instant.parse("2025-01-01T00:00:00.250Z")))));
    }

    @Test
    void aRefundPastTheLargestBalanceIsAConflictToo() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE));

        assertProblem(refund(), 409, "BALANCE_LIMIT_EXCEEDED");
    }

    @Test
    void grantIsAskedForWithTheAuthenticatedCallerAsIdempotencyScopeAndTheParsedFields() {
        when(USE_CASES.grantCredits().grant(any())).thenReturn(new MoveOutcome.Applied(REFUND));
        ArgumentCaptor<GrantCredits.Command> command = ArgumentCaptor.forClass(GrantCredits.Command.class);

        post(client, GRANT, ADMIN_TOKEN, "grant-key-1", "{\"reason\":\"promo\",\"amount_usdc\":\"25.50\",\"user_id\":\"user_123\"}");

        verify(USE_CASES.grantCredits()).grant(command.capture());
        assertThat(command.getValue(), is(new GrantCredits.Command(UserId.of("admin_1"), new IdempotencyKey("grant-key-1"),
                UserId.of("user_123"), Usdc.parse("25.5"), LotTerms.DEFAULT_GRANT, Optional.of("promo"))));
    }

    @Test
    void deductionIsAskedForOnBehalfOfTheUserInTheBodyScopedToTheMeteringCaller() {
        when(USE_CASES.deductCredits().deduct(any())).thenReturn(new MoveOutcome.Applied(DEDUCTION));
        ArgumentCaptor<DeductCredits.Command> command = ArgumentCaptor.forClass(DeductCredits.Command.class);

        deduct();

        verify(USE_CASES.deductCredits()).deduct(command.capture());
        assertThat(command.getValue(), is(new DeductCredits.Command(UserId.of("gateway"), new IdempotencyKey("meter-key-1"),
                UserId.of("user_1"), Usdc.parse("0.01"), Optional.of("api_weather/forecast"))));
    }

    @Test
    void refundWithoutAnAmountAsksForTheUnrefundedRest() {
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.Applied(REFUND));
        ArgumentCaptor<RefundDeduction.Command> command = ArgumentCaptor.forClass(RefundDeduction.Command.class);

        refund();

        verify(USE_CASES.refundDeduction()).refund(command.capture());
        assertThat(command.getValue(), is(new RefundDeduction.Command(UserId.of("admin_1"), new IdempotencyKey("refund-key-1"),
                EntryId.parse(DEDUCTION_ID), Optional.empty(), "bad charge")));
    }

    private static JsonNode json(ClientResponseTyped<String> response) {
        return Problems.json(response.entity());
    }
}
