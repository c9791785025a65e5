package credits.bootstrap;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The database goes away under a running service and comes back: the service says it is not
 * ready, answers API calls with 503 and {@code Retry-After} within the pool's connection timeout
 * (never a hang, never a 500), and serves again as soon as the database is back, without a
 * restart. A deduction refused with 503 is retried with the same idempotency key and moves money
 * exactly once.
 */
class DatabaseOutageEndToEndTest {

    private static final String DEDUCTIONS = "/api/billing/credits/deductions";
    // The pool's connection timeout (TestSettings: 2 s), plus validating one idle connection, plus slack.
    private static final Duration ANSWER_BOUND = Duration.ofMillis(2000 + 1000 + 1500);

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    @Test
    void whileTheDatabaseIsDownTheServiceIsNotReadyAndAnswers503ThenRecoversWithoutARestart() throws Exception {
        String user = "outage_" + UUID.randomUUID();
        String meter = service.api().tokenFor("meter_gateway", "credits:meter");
        assertThat(service.api().grant(user, "10").status(), is(201));
        assertThat(ready(), is(200));
        EmbeddedPostgresServer database = service.server().embeddedDatabase().orElseThrow();

        String key = UUID.randomUUID().toString();
        database.stopForTest();
        try {
            Awaitility.await("readiness down after the database stopped").atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(50)).until(() -> ready() == 503);

            ApiClient.Response balance = timed(() -> service.api().getAs(user, "/api/billing/credits"));
            ApiClient.Response deduction = timed(() -> service.api().post(meter, DEDUCTIONS, key, deductionOf(user, "2.5")));

            assertUnavailable(balance);
            assertUnavailable(deduction);
            assertThat("liveness does not depend on the database", live(), is(200));
        } finally {
            database.startForTest();
        }

        Awaitility.await("ready again after the database came back").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> ready() == 200);
        ApiClient.Response balance = service.api().getAs(user, "/api/billing/credits");
        assertThat(balance.status(), is(200));
        assertThat(balance.text("balance_usdc"), is("10.00"));

        // The client retries the refused deduction with its key: applied now, once.
        ApiClient.Response charged = service.api().post(meter, DEDUCTIONS, key, deductionOf(user, "2.5"));
        ApiClient.Response retried = service.api().post(meter, DEDUCTIONS, key, deductionOf(user, "2.5"));
        assertThat(charged.status(), is(201));
        assertThat(retried.status(), is(201));
        assertThat(retried.header("Idempotent-Replayed"), is("true"));
        assertThat(service.api().getAs(user, "/api/billing/credits").text("balance_usdc"), is("7.50"));
        LedgerInvariants.assertHold(service.server());
    }

    private static void assertUnavailable(ApiClient.Response response) {
        assertThat(response.raw().body(), response.status(), is(503));
        assertThat(response.header("Content-Type"), startsWith("application/problem+json"));
        assertThat(response.text("code"), is("SERVICE_UNAVAILABLE"));
        assertThat(response.header("Retry-After").matches("[1-9][0-9]*"), is(true));
    }

    private static ApiClient.Response timed(Supplier<ApiClient.Response> call) {
        long started = System.nanoTime();
        ApiClient.Response response = call.get();
        assertThat("answered within the connection timeout", elapsedSince(started), lessThan(ANSWER_BOUND));
        return response;
    }

    private static String deductionOf(String user, String amount) {
        return "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"}";
    }

    private static int ready() {
        return service.api().send(HttpRequest.newBuilder(service.api().uri("/health/ready")).GET()).status();
    }

    private static int live() {
        return service.api().send(HttpRequest.newBuilder(service.api().uri("/health/live")).GET()).status();
    }

    private static Duration elapsedSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
