package credits.adapters.http;

import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.LogCapture;
import credits.adapters.http.support.Meters;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.Meter;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.X_REQUEST_ID;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.deductionBody;
import static credits.adapters.http.support.Requests.grantBody;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * What operators see of each request: the request timer per route template and status class, the ledger
 * outcome counters, and one access record, read from the meter registry and a captured JUL logger.
 */
@RoutingTest
class ObservabilityTest {

    private static final String ACCOUNT_ROUTE = "/api/admin/billing/credits/{user_id}";
    private static final String HISTORY_ROUTE = "/api/admin/billing/credits/{user_id}/transactions";
    private static final String ADMIN_TOKEN = bearer("auditor", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);

    private final DirectClient client;

    ObservabilityTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET))
                .clock(CLOCK).meterRegistry(Meters.REGISTRY).build().register(routing);
    }

    private ClientResponseTyped<String> get(String path, String authorization) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, authorization).request(String.class);
    }

    @Test
    void requestsAreTimedPerRouteTemplateMethodAndStatusClassNeverPerPath() throws Exception {
        long accountsBefore = Meters.timed(ACCOUNT_ROUTE, "GET", "4xx");
        long balancesBefore = Meters.timed(CREDITS, "GET", "2xx");

        get(ADMIN_CREDITS + "timed_alice", ADMIN_TOKEN);
        get(ADMIN_CREDITS + "timed_bob", ADMIN_TOKEN);
        get(CREDITS, bearer("timed_carol"));

        assertThat(Meters.awaitTimed(ACCOUNT_ROUTE, "GET", "4xx", accountsBefore + 2), is(accountsBefore + 2));
        assertThat(Meters.awaitTimed(CREDITS, "GET", "2xx", balancesBefore + 1), is(balancesBefore + 1));
        for (Meter meter : Meters.REGISTRY.meters()) {
            assertThat(meter.id().tagsMap().toString(), not(containsString("timed_alice")));
        }
    }

    @Test
    void unknownPathsAreTimedAsUnmatchedAndRefusalsUnderTheirRoute() throws Exception {
        long unmatchedBefore = Meters.timed("unmatched", "GET", "4xx");
        long unauthorizedBefore = Meters.timed(CREDITS, "GET", "4xx");
        long notAllowedBefore = Meters.timed(CREDITS, "DELETE", "4xx");

        client.get("/api/nowhere/timed_dave").request(String.class);
        client.get(CREDITS).request(String.class);
        client.delete(CREDITS).request(String.class);

        assertThat(Meters.awaitTimed("unmatched", "GET", "4xx", unmatchedBefore + 1), is(unmatchedBefore + 1));
        assertThat(Meters.awaitTimed(CREDITS, "GET", "4xx", unauthorizedBefore + 1), is(unauthorizedBefore + 1));
        assertThat(Meters.awaitTimed(CREDITS, "DELETE", "4xx", notAllowedBefore + 1), is(notAllowedBefore + 1));
    }

    @Test
    void everyLedgerOutcomeIsCountedByTypeAndOutcome() {
        Map<String, Long> before = ledgerCounts();

        post(client, GRANT, ADMIN_TOKEN, "grant-1", grantBody("ledger_user", "10"));
        post(client, GRANT, ADMIN_TOKEN, "grant-1", grantBody("ledger_user", "10"));
        post(client, GRANT, ADMIN_TOKEN, "grant-1", grantBody("ledger_user", "11"));
        post(client, DEDUCTIONS, METER_TOKEN, "deduct-1", deductionBody("ledger_user", "100"));
        ClientResponseTyped<String> deduction = post(client, DEDUCTIONS, METER_TOKEN, "deduct-2", deductionBody("ledger_user", "1"));
        String deductionId = json(deduction.entity()).path("id").asText();
        post(client, REFUNDS, ADMIN_TOKEN, "refund-1", refundBody(deductionId, "5"));
        post(client, REFUNDS, ADMIN_TOKEN, "refund-2", refundBody("123e4567-e89b-12d3-a456-426614174000", "1"));
        post(client, REFUNDS, ADMIN_TOKEN, "refund-3", refundBody(deductionId, "0.25"));

        Map<String, Long> after = ledgerCounts();
        assertThat(after.get("grant/applied") - before.get("grant/applied"), is(1L));
        assertThat(after.get("grant/replayed") - before.get("grant/replayed"), is(1L));
        assertThat(after.get("grant/key_reused") - before.get("grant/key_reused"), is(1L));
        assertThat(after.get("deduction/insufficient_balance") - before.get("deduction/insufficient_balance"), is(1L));
        assertThat(after.get("deduction/applied") - before.get("deduction/applied"), is(1L));
        assertThat(after.get("refund/refund_exceeds_deduction") - before.get("refund/refund_exceeds_deduction"), is(1L));
        assertThat(after.get("refund/deduction_not_found") - before.get("refund/deduction_not_found"), is(1L));
        assertThat(after.get("refund/applied") - before.get("refund/applied"), is(1L));
    }

    private static String refundBody(String deductionId, String amount) {
        return "{\"deduction_id\":\"" + deductionId + "\",\"amount_usdc\":\"" + amount + "\",\"reason\":\"test\"}";
    }

    private static Map<String, Long> ledgerCounts() {
        Map<String, Long> counts = new HashMap<>();
        for (String type : List.of("grant", "deduction", "refund")) {
            for (String outcome : List.of("applied", "replayed", "key_reused", "insufficient_balance", "deduction_not_found",
                    "refund_exceeds_deduction")) {
                counts.put(type + "/" + outcome, Meters.ledger(type, outcome));
            }
        }
        return counts;
    }

    @Test
    void oneAccessRecordCarriesTheRouteTemplateAndTheCallerButNoCredentials() throws Exception {
        Map<?, ?> fields;
        try (LogCapture access = LogCapture.of("credits.access", Level.INFO)) {
            client.get(ADMIN_CREDITS + "logged_alice/transactions")
                    .header(HeaderNames.AUTHORIZATION, ADMIN_TOKEN)
                    .header(X_REQUEST_ID, "trace-access-1")
                    .request(String.class);

            LogRecord record = access.next(1).getFirst();
            assertThat(record.getLoggerName(), is("credits.access"));
            assertThat(record.getLevel(), is(Level.INFO));
            assertThat(record.getMessage(), is("access"));
            assertThat(record.getParameters().length, is(1));
            assertThat(record.getParameters()[0], instanceOf(Map.class));
            fields = (Map<?, ?>) record.getParameters()[0];
        }

        assertThat(List.copyOf(fields.keySet()), is(List.of("request_id", "method", "route", "status", "latency_ms", "user_id", "bytes")));
        assertThat(fields.get("request_id"), is("trace-access-1"));
        assertThat(fields.get("method"), is("GET"));
        assertThat(fields.get("route"), is(HISTORY_ROUTE));
        assertThat(fields.get("status"), is(404));
        assertThat((Double) fields.get("latency_ms"), greaterThanOrEqualTo(0.0));
        assertThat(fields.get("user_id"), is("auditor"));
        assertThat((Long) fields.get("bytes"), greaterThan(0L));
        String everything = fields.toString();
        assertThat(everything, not(containsString(ADMIN_TOKEN.substring("Bearer ".length()))));
        assertThat(everything, not(containsString("Bearer")));
        assertThat(everything, not(containsString("logged_alice")));
    }

    @Test
    void anUnauthenticatedRequestIsLoggedWithoutAUserAndAnUnknownPathAsUnmatched() throws Exception {
        try (LogCapture access = LogCapture.of("credits.access", Level.INFO)) {
            client.get(CREDITS).header(HeaderNames.AUTHORIZATION, "Bearer not-a-token").header(X_REQUEST_ID, "trace-401")
                    .request(String.class);
            client.get("/api/nowhere").header(X_REQUEST_ID, "trace-404").request(String.class);

            Map<Object, Map<?, ?>> byRequestId = new HashMap<>();
            for (LogRecord record : access.next(2)) {
                Map<?, ?> fields = (Map<?, ?>) record.getParameters()[0];
                byRequestId.put(fields.get("request_id"), fields);
            }
            Map<?, ?> unauthorized = byRequestId.get("trace-401");
            Map<?, ?> unknown = byRequestId.get("trace-404");

            assertThat(unauthorized.get("status"), is(401));
            assertThat(unauthorized.get("route"), is(CREDITS));
            assertThat(unauthorized.get("user_id"), nullValue());
            assertThat(unauthorized.toString(), not(containsString("not-a-token")));
            assertThat(unknown.get("status"), is(404));
            assertThat(unknown.get("route"), is("unmatched"));
        }
    }

    @Test
    void withTheAccessLoggerOffNothingIsWritten() throws Exception {
        try (LogCapture access = LogCapture.of("credits.access", Level.WARNING)) {
            get(CREDITS, bearer("quiet_user")).entity();
            // Turned on for the next request only: what arrives is that request's record and nothing before it.
            Logger.getLogger("credits.access").setLevel(Level.INFO);
            client.get(CREDITS).header(HeaderNames.AUTHORIZATION, bearer("loud_user")).request(String.class);

            assertThat(((Map<?, ?>) access.next(1).getFirst().getParameters()[0]).get("user_id"), is("loud_user"));
            assertThat(access.records().size(), is(1));
        }
    }
}
