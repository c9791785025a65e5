package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.application.port.in.ListTransactions;
import credits.domain.Balance;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.HistoryPage;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Who may call which ledger route (the scopes matrix), which methods each path allows, and how the
 * admin paths resolve. The use cases are mocks that always succeed, so a refusal here is the adapter's.
 */
@RoutingTest
class LedgerAccessTest {

    private static final UseCases USE_CASES = ApiFixture.mockedUseCases();
    private static final String NONE = null;
    private static final String PLAIN = bearer("user_1");
    private static final String METERING = bearer("gateway", METER);
    private static final String ADMINISTRATOR = bearer("admin_1", ADMIN);
    private static final String BOTH = bearer("ops", ADMIN, METER);
    private static final String DEDUCTION_ID = "123e4567-e89b-12d3-a456-426614174000";
    private static final LedgerEntry ENTRY = ApiFixture.grantEntry(1, "user_1", "1");
    private static final Balance USER_1 = new Balance(UserId.of("user_1"), Usdc.parse("100.5"), Usdc.ZERO, Usdc.ZERO,
            Usdc.parse("100.5"), Optional.empty(), Instant.parse("2024-01-15T10:30:00Z"), NOW);

    private final DirectClient client;

    LedgerAccessTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, USE_CASES, AuthSettings.hmac(SECRET));
    }

    @BeforeEach
    void succeedingUseCases() {
        reset(USE_CASES.getOrCreateCredit(), USE_CASES.findCredit(), USE_CASES.grantCredits(), USE_CASES.deductCredits(),
                USE_CASES.refundDeduction(), USE_CASES.listTransactions());
        when(USE_CASES.grantCredits().grant(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
        when(USE_CASES.deductCredits().deduct(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
        when(USE_CASES.refundDeduction().refund(any())).thenReturn(new MoveOutcome.Applied(ENTRY));
        when(USE_CASES.findCredit().find(UserId.of("user_1"))).thenReturn(Optional.of(USER_1));
        when(USE_CASES.findCredit().find(UserId.of("nobody"))).thenReturn(Optional.empty());
        when(USE_CASES.getOrCreateCredit().getOrCreate(UserId.of("user_1"))).thenReturn(USER_1);
        when(USE_CASES.listTransactions().list(any())).thenReturn(new HistoryPage(List.of(ENTRY), Optional.empty()));
    }

    private ClientResponseTyped<String> grant(String authorization) {
        return post(client, GRANT, authorization, "k1", "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}");
    }

    private ClientResponseTyped<String> deduct(String authorization) {
        return post(client, DEDUCTIONS, authorization, "k1", "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}");
    }

    private ClientResponseTyped<String> refund(String authorization) {
        return post(client, REFUNDS, authorization, "k1", "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"reason\":\"r\"}");
    }

    private ClientResponseTyped<String> adminAccount(String authorization) {
        return get(client, ADMIN_CREDITS + "user_1", authorization);
    }

    private ClientResponseTyped<String> adminHistory(String authorization) {
        return get(client, ADMIN_CREDITS + "user_1/transactions", authorization);
    }

    private ClientResponseTyped<String> ownHistory(String authorization) {
        return get(client, TRANSACTIONS, authorization);
    }

    /** Route → (caller → expected status), for every caller. */
    @Test
    void scopesMatrixDecidesWhoMayCallEachRoute() {
        Map<String, Function<String, ClientResponseTyped<String>>> routes = Map.of(
                "grant", this::grant, "deduction", this::deduct, "refund", this::refund,
                "admin account", this::adminAccount, "admin history", this::adminHistory, "own history", this::ownHistory);
        Map<String, List<Integer>> expected = Map.of(
                //                    none plain meter admin both
                "grant", List.of(401, 403, 403, 201, 201),
                "deduction", List.of(401, 403, 201, 403, 201),
                "refund", List.of(401, 403, 403, 201, 201),
                "admin account", List.of(401, 403, 403, 200, 200),
                "admin history", List.of(401, 403, 403, 200, 200),
                "own history", List.of(401, 200, 200, 200, 200));
        List<String> callers = Arrays.asList(NONE, PLAIN, METERING, ADMINISTRATOR, BOTH);
        List<String> callerNames = List.of("no token", "plain user", "meter", "admin", "admin+meter");

        routes.forEach((route, call) -> {
            for (int i = 0; i < callers.size(); i++) {
                ClientResponseTyped<String> response = call.apply(callers.get(i));
                int status = expected.get(route).get(i);
                String what = route + " by " + callerNames.get(i) + ": " + response.entity();
                assertThat(what, response.status().code(), is(status));
                if (status == 401) {
                    assertProblem(response, 401, "UNAUTHORIZED");
                } else if (status == 403) {
                    assertProblem(response, 403, "FORBIDDEN");
                }
            }
        });
    }

    @Test
    void refusedCallersNeverReachAUseCase() {
        grant(PLAIN);
        grant(METERING);
        deduct(PLAIN);
        deduct(ADMINISTRATOR);
        refund(METERING);
        adminAccount(PLAIN);
        adminHistory(METERING);

        verifyNoInteractions(USE_CASES.grantCredits(), USE_CASES.deductCredits(), USE_CASES.refundDeduction(),
                USE_CASES.findCredit(), USE_CASES.listTransactions());
    }

    @Test
    void forbiddenSaysWhichScopeIsMissing() {
        JsonNode problem = assertProblem(deduct(ADMINISTRATOR), 403, "FORBIDDEN");

        assertThat(problem.path("detail").asText(), is("This request needs the credits:meter scope"));
    }

    @Test
    void trustedGatewayUsersHaveNoScopes() {
        DirectClient gateway = ApiFixture.client(USE_CASES,
                new AuthSettings(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), true));
        HeaderName xUserId = HeaderNames.create("X-User-Id");

        ClientResponseTyped<String> grant = gateway.post(GRANT).header(xUserId, "admin_1")
                .header(HeaderNames.CONTENT_TYPE, "application/json").header(HeaderNames.create("Idempotency-Key"), "k")
                .submit("{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}", String.class);
        ClientResponseTyped<String> read = gateway.get(ADMIN_CREDITS + "user_1").header(xUserId, "admin_1").request(String.class);
        ClientResponseTyped<String> own = gateway.get(TRANSACTIONS).header(xUserId, "user_1").request(String.class);

        assertProblem(grant, 403, "FORBIDDEN");
        assertProblem(read, 403, "FORBIDDEN");
        assertThat(own.status().code(), is(200));
    }

    @Test
    void ownHistoryIsAlwaysTheCallersOwn() {
        ownHistory(ADMINISTRATOR);

        verify(USE_CASES.listTransactions()).list(new ListTransactions.Query(
                UserId.of("admin_1"), Optional.empty(), 50));
    }

    // ---- admin reads -----------------------------------------------------------------------------

    @Test
    void adminReadOfAnAccountHasTheBodyOfTheOwnBalance() {
        ClientResponseTyped<String> admin = adminAccount(ADMINISTRATOR);
        ClientResponseTyped<String> own = get(client, ApiFixture.CREDITS, PLAIN);

        assertThat(admin.status().code(), is(200));
        assertThat(admin.entity(), is(own.entity()));
    }

    @Test
    void adminReadOfAUserWithoutAnAccountIsNotFoundAndOpensNone() {
        assertProblem(get(client, ADMIN_CREDITS + "nobody", ADMINISTRATOR), 404, "NOT_FOUND");
        assertProblem(get(client, ADMIN_CREDITS + "nobody/transactions", ADMINISTRATOR), 404, "NOT_FOUND");

        verify(USE_CASES.getOrCreateCredit(), never()).getOrCreate(any());
        verifyNoInteractions(USE_CASES.listTransactions());
    }

    @Test
    void adminHistoryIsTheHistoryOfTheUserInThePath() {
        ClientResponseTyped<String> response = get(client, ADMIN_CREDITS + "user_1/transactions", ADMINISTRATOR, "limit", "7");

        assertThat(response.status().code(), is(200));
        verify(USE_CASES.listTransactions()).list(new ListTransactions.Query(
                UserId.of("user_1"), Optional.empty(), 7));
    }

    @Test
    void overlongUserIdInThePathIsAValidationErrorNamingIt() {
        // Percent-encoded ids are sent over a real socket (OverRealSocketTest): this client encodes "%" again.
        for (String path : List.of(ADMIN_CREDITS + "u".repeat(256), ADMIN_CREDITS + "u".repeat(256) + "/transactions")) {
            JsonNode problem = assertProblem(get(client, path, ADMINISTRATOR), 400, "VALIDATION_ERROR");
            assertThat(path, problem.path("errors").get(0).path("field").asText(), is("user_id"));
        }
        verifyNoInteractions(USE_CASES.findCredit(), USE_CASES.listTransactions());
    }

    @Test
    void invalidUserIdAndBadQueryAreNamedTogether() {
        JsonNode problem = assertProblem(get(client, ADMIN_CREDITS + "u".repeat(256) + "/transactions", ADMINISTRATOR, "limit", "0"),
                400, "VALIDATION_ERROR");

        assertThat(problem.path("errors").size(), is(2));
    }

    @Test
    void unknownQueryParameterOnTheAdminAccountReadIsRefused() {
        assertProblem(get(client, ADMIN_CREDITS + "user_1", ADMINISTRATOR, "verbose", "1"), 400, "VALIDATION_ERROR");
    }

    // ---- methods ---------------------------------------------------------------------------------

    @Test
    void wrongMethodOnEachLedgerPathIsMethodNotAllowedWithAllow() {
        Map<String, String> allowed = Map.of(
                GRANT, "POST", DEDUCTIONS, "POST", REFUNDS, "POST",
                TRANSACTIONS, "GET, HEAD", ADMIN_CREDITS + "user_1", "GET, HEAD", ADMIN_CREDITS + "user_1/transactions", "GET, HEAD");
        allowed.forEach((path, allow) -> {
            for (Method method : List.of(Method.GET, Method.PUT, Method.DELETE, Method.PATCH, Method.POST)) {
                if (allow.contains(method.text())) {
                    continue;
                }
                ClientResponseTyped<String> response = client.method(method).uri(path)
                        .header(HeaderNames.AUTHORIZATION, ADMINISTRATOR)
                        .request(String.class);
                assertProblem(response, 405, "METHOD_NOT_ALLOWED");
                assertThat(method + " " + path, response.headers().first(HeaderNames.ALLOW).orElse(""), is(allow));
            }
        });
    }

    /**
     * "grant" and "refunds" could be user ids under /api/admin/billing/credits/{user_id}; the action
     * routes win, so reading them is a 405, never an account read.
     */
    @Test
    void getOnTheGrantAndRefundsPathsIsMethodNotAllowedNotAnAccountRead() {
        for (String path : List.of(GRANT, REFUNDS)) {
            ClientResponseTyped<String> response = get(client, path, ADMINISTRATOR);
            assertProblem(response, 405, "METHOD_NOT_ALLOWED");
            assertThat(response.headers().first(HeaderNames.ALLOW).orElse(""), is("POST"));
        }
        verifyNoInteractions(USE_CASES.findCredit());
    }

    @Test
    void headAnswersTheNewReadsWithTheHeadersOfGet() {
        for (String path : List.of(TRANSACTIONS, ADMIN_CREDITS + "user_1", ADMIN_CREDITS + "user_1/transactions")) {
            ClientResponseTyped<String> get = get(client, path, ADMINISTRATOR);
            try (Http1ClientResponse head = client.method(Method.HEAD).uri(path)
                    .header(HeaderNames.AUTHORIZATION, ADMINISTRATOR)
                    .request()) {
                assertThat(path, head.status().code(), is(200));
                assertThat(head.headers().contentType().map(Object::toString).orElse(""), is("application/json"));
                assertThat(head.headers().contentLength().orElse(-1), is((long) get.entity().getBytes().length));
            }
        }
    }

    @Test
    void historyItemsHaveEveryMemberEvenWhenNull() {
        JsonNode item = json(ownHistory(PLAIN).entity()).path("data").get(0);

        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        assertThat(names, is(List.of("id", "type", "user_id", "amount_usdc", "balance_after_usdc", "reference", "reason",
                "deduction_id", "hold_id", "grant_id", "drawn_from", "category", "priority", "expires_at", "hash", "created_at")));
        assertThat(item.path("reference").isNull(), is(true));
        assertThat(item.path("hash").asText(), is(LedgerHash.of(LedgerHash.GENESIS, ENTRY)));
    }
}
