package credits.adapters.http;

import credits.adapters.http.ApiSettings.RateLimit;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.StepClock;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Requests.deductionBody;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Per-caller token buckets over a real socket, as the contract's load test sees them: user routes at
 * capacity 10 refilled 1/s, metering and admin routes on their own bucket (capacity 3 here). The clock
 * stands still, so no token comes back during a test and the counts are exact however slow the machine.
 */
@ServerTest
class RateLimitTest {

    private static final RateLimit USER_LIMIT = new RateLimit(10, 1);
    private static final RateLimit SERVICE_LIMIT = new RateLimit(3, 1);

    private final WebClient client;

    RateLimitTest(WebClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET))
                .settings(new ApiSettings(USER_LIMIT, SERVICE_LIMIT, List.of())).clock(CLOCK).build().register(routing);
    }

    private ClientResponseTyped<String> getCredits(String authorization) {
        return client.get(CREDITS).header(HeaderNames.AUTHORIZATION, authorization).request(String.class);
    }

    private ClientResponseTyped<String> getAccount(String authorization, String userId) {
        return client.get(ADMIN_CREDITS + userId).header(HeaderNames.AUTHORIZATION, authorization).request(String.class);
    }

    @Test
    void twelveConcurrentRequestsOfOneUserGiveExactlyTenOksAndTwoTooManyRequestsWithRetryAfter() throws Exception {
        String token = bearer("burst_user");
        CountDownLatch start = new CountDownLatch(1);
        Callable<ClientResponseTyped<String>> request = () -> {
            start.await();
            return getCredits(token);
        };
        List<ClientResponseTyped<String>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<ClientResponseTyped<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(pool.submit(request));
            }
            start.countDown();
            for (Future<ClientResponseTyped<String>> future : futures) {
                responses.add(future.get());
            }
        }

        List<ClientResponseTyped<String>> refused = responses.stream().filter(r -> r.status().code() == 429).toList();
        assertThat(responses.stream().filter(r -> r.status().code() == 200).count(), is(10L));
        assertThat(refused.size(), is(2));
        for (ClientResponseTyped<String> response : refused) {
            assertProblem(response, 429, "TOO_MANY_REQUESTS");
            long retryAfter = Long.parseLong(response.headers().first(HeaderNames.RETRY_AFTER).orElseThrow());
            assertThat(retryAfter, greaterThanOrEqualTo(1L));
        }
    }

    @Test
    void anotherUserIsNotSlowedDownByOneWhoIsLimited() {
        String greedy = bearer("greedy_user");
        for (int i = 0; i < 10; i++) {
            getCredits(greedy);
        }

        assertThat(getCredits(greedy).status().code(), is(429));
        assertThat(getCredits(bearer("patient_user")).status().code(), is(200));
    }

    @Test
    void balanceAndHistoryShareTheUsersBucket() {
        String token = bearer("reader_user");
        for (int i = 0; i < 5; i++) {
            getCredits(token);
            client.get(TRANSACTIONS).header(HeaderNames.AUTHORIZATION, token).request(String.class);
        }

        ClientResponseTyped<String> history = client.get(TRANSACTIONS).header(HeaderNames.AUTHORIZATION, token).request(String.class);

        assertProblem(history, 429, "TOO_MANY_REQUESTS");
    }

    @Test
    void adminCallersUseTheServiceBucketNotTheUserBucket() {
        String admin = bearer("admin_reader", ADMIN);
        for (int i = 0; i < 3; i++) {
            assertThat(getAccount(admin, "nobody_" + i).status().code(), is(404));
        }

        assertProblem(getAccount(admin, "nobody_4"), 429, "TOO_MANY_REQUESTS");
        // Their own balance is a user route: its bucket is untouched.
        assertThat(getCredits(admin).status().code(), is(200));
    }

    @Test
    void meteringIsLimitedPerCallerBeforeTheBodyIsRead() {
        String gateway = bearer("gateway_a", METER);
        for (int i = 0; i < 3; i++) {
            client.post(DEDUCTIONS).header(HeaderNames.AUTHORIZATION, gateway).header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.create("Idempotency-Key"), "k" + i).submit("{}", String.class);
        }

        // Not JSON at all: had the body been read, this would be a 400.
        ClientResponseTyped<String> limited = client.post(DEDUCTIONS).header(HeaderNames.AUTHORIZATION, gateway)
                .header(HeaderNames.CONTENT_TYPE, "application/json").header(HeaderNames.create("Idempotency-Key"), "k4")
                .submit("not json", String.class);
        ClientResponseTyped<String> otherGateway = client.post(DEDUCTIONS).header(HeaderNames.AUTHORIZATION, bearer("gateway_b", METER))
                .header(HeaderNames.CONTENT_TYPE, "application/json").header(HeaderNames.create("Idempotency-Key"), "k4")
                .submit("not json", String.class);

        assertProblem(limited, 429, "TOO_MANY_REQUESTS");
        assertProblem(otherGateway, 400, "VALIDATION_ERROR");
    }

    @Test
    void unauthenticatedRequestsAreRefusedBeforeAnyBucket() {
        for (int i = 0; i < 12; i++) {
            assertThat(client.get(CREDITS).request(String.class).status().code(), is(401));
        }
    }

    @Test
    void aRefusedCallerGetsATokenBackAfterTheRefillInterval() {
        StepClock clock = new StepClock(NOW);
        DirectClient direct = ApiFixture.client(CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET))
                .settings(new ApiSettings(new RateLimit(2, 1), RateLimit.DISABLED, List.of())).clock(clock).build());
        String token = bearer("waiting_user");
        get(direct, CREDITS, token);
        get(direct, CREDITS, token);
        ClientResponseTyped<String> refused = get(direct, CREDITS, token);

        clock.advance(Duration.ofMillis(500));
        ClientResponseTyped<String> tooEarly = get(direct, CREDITS, token);
        clock.advance(Duration.ofMillis(500));
        ClientResponseTyped<String> afterRefill = get(direct, CREDITS, token);
        ClientResponseTyped<String> again = get(direct, CREDITS, token);

        assertThat(refused.status().code(), is(429));
        assertThat(refused.headers().first(HeaderNames.RETRY_AFTER).orElse(""), is("1"));
        assertThat(tooEarly.status().code(), is(429));
        assertThat(afterRefill.status().code(), is(200));
        assertThat(again.status().code(), is(429));
    }

    @Test
    void capacityZeroDisablesTheLimit() {
        DirectClient direct = ApiFixture.client(CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET))
                .settings(new ApiSettings(RateLimit.DISABLED, new RateLimit(0, 0), List.of())).clock(CLOCK).build());
        String user = bearer("unlimited_user");
        String admin = bearer("unlimited_admin", ADMIN);

        for (int i = 0; i < 50; i++) {
            assertThat(get(direct, CREDITS, user).status().code(), is(200));
            assertThat(get(direct, ADMIN_CREDITS + "nobody", admin).status().code(), is(404));
        }
    }

    @Test
    void aLimitedMoneyMoveNeverReachesItsUseCase() {
        UseCases mocked = ApiFixture.mockedUseCases();
        DirectClient direct = ApiFixture.client(CreditsApi.builder(mocked, AuthSettings.hmac(SECRET))
                .settings(new ApiSettings(RateLimit.DISABLED, new RateLimit(1, 1), List.of())).clock(CLOCK).build());
        String gateway = bearer("gateway_c", METER);
        // The first request spends the only token on a refusal (unknown field) that never reaches the use case either.
        post(direct, DEDUCTIONS, gateway, "key-1", "{\"unknown\":1}");

        ClientResponseTyped<String> limited = post(direct, DEDUCTIONS, gateway, "key-2", deductionBody("user_1", "1"));

        assertProblem(limited, 429, "TOO_MANY_REQUESTS");
        verifyNoInteractions(mocked.deductCredits());
    }
}
