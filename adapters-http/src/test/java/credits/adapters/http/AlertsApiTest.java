package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.adapters.persistence.memory.InMemoryWebhooksAdapter;
import credits.domain.Usdc;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.ALERTS;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.put;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Low-balance thresholds through the real routing on the in-memory store, configured with a default of 2.00:
 * reading and setting the own one, an admin setting anyone's, and every refusal, which changes nothing.
 */
class AlertsApiTest {

    private static final String USER = "user_1";
    private static final String USER_TOKEN = bearer(USER);
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String ADMIN_ALERTS = ADMIN_CREDITS + USER + "/alerts";

    private DirectClient client;

    @BeforeEach
    void aStoreWithADefaultThresholdOfTwo() {
        InMemoryCreditsAdapter store = new InMemoryCreditsAdapter(Optional.of(Usdc.parse("2")), new InMemoryWebhooksAdapter());
        client = ApiFixture.client(ApiFixture.useCases(store), AuthSettings.hmac(SECRET));
    }

    private static JsonNode ok(ClientResponseTyped<String> response) {
        assertThat(response.entity(), response.status().code(), is(200));
        return json(response.entity());
    }

    private String ownThreshold() {
        return ok(get(client, ALERTS, USER_TOKEN)).path("low_balance_usdc").asText(null);
    }

    private static void assertRefused(ClientResponseTyped<String> response, String field) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(problem.toString(), problem.path("errors").get(0).path("field").asText(), is(field));
    }

    @Test
    void aUserWhoSetNothingReadsTheConfiguredDefault() {
        assertThat(get(client, ALERTS, USER_TOKEN).entity(), is("{\"low_balance_usdc\":\"2.00\"}"));
    }

    @Test
    void withoutADefaultAUserWhoSetNothingReadsNull() {
        DirectClient noDefault = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));

        assertThat(ok(get(noDefault, ALERTS, USER_TOKEN)).toString(), is("{\"low_balance_usdc\":null}"));
    }

    @Test
    void aUserSetsTheirOwnThresholdAndTheAnswerAndLaterReadsShowIt() {
        assertThat(ok(put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"5.5\"}")).toString(),
                is("{\"low_balance_usdc\":\"5.50\"}"));
        assertThat(ownThreshold(), is("5.50"));
    }

    @Test
    void puttingNullRemovesTheOwnThresholdAndTheDefaultAppliesAgain() {
        put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"5\"}");

        assertThat(ok(put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":null}")).toString(),
                is("{\"low_balance_usdc\":\"2.00\"}"));
        assertThat(ownThreshold(), is("2.00"));
    }

    @Test
    void settingAThresholdOpensTheAccountOfAUserWhoHadNoneAtZero() {
        put(client, ALERTS, bearer("newcomer"), "{\"low_balance_usdc\":\"1\"}");

        JsonNode account = ok(get(client, ADMIN_CREDITS + "newcomer", ADMIN_TOKEN));
        assertThat(account.path("balance_usdc").asText(), is("0.00"));
    }

    @Test
    void anAdminSetsAnyUsersThresholdAndOpensTheAccountOfAUserWhoHadNone() {
        assertThat(get(client, ADMIN_CREDITS + USER, ADMIN_TOKEN).status().code(), is(404));

        assertThat(ok(put(client, ADMIN_ALERTS, ADMIN_TOKEN, "{\"low_balance_usdc\":\"7.25\"}")).toString(),
                is("{\"low_balance_usdc\":\"7.25\"}"));
        assertThat(ownThreshold(), is("7.25"));
        assertThat(ok(get(client, ADMIN_CREDITS + USER, ADMIN_TOKEN)).path("balance_usdc").asText(), is("0.00"));
    }

    @Test
    void anAdminPuttingNullForAUserLeavesThemTheDefault() {
        put(client, ADMIN_ALERTS, ADMIN_TOKEN, "{\"low_balance_usdc\":\"7\"}");

        assertThat(ok(put(client, ADMIN_ALERTS, ADMIN_TOKEN, "{\"low_balance_usdc\":null}")).toString(),
                is("{\"low_balance_usdc\":\"2.00\"}"));
    }

    @ParameterizedTest(name = "{0} is refused, naming low_balance_usdc, and changes nothing")
    @ValueSource(strings = {"\"0.00\"", "\"0\"", "\"-1\"", "\"1.12345678\"", "\"01\"", "\"1e2\"", "\"\"", "5", "true", "[]",
            "\"10000000001\""})
    void aBadThresholdIsRefusedNamingTheFieldAndChangesNothing(String value) {
        put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"3\"}");

        assertRefused(put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":" + value + "}"), "low_balance_usdc");
        assertRefused(put(client, ADMIN_ALERTS, ADMIN_TOKEN, "{\"low_balance_usdc\":" + value + "}"), "low_balance_usdc");
        assertThat(ownThreshold(), is("3.00"));
    }

    @Test
    void aBodyWithoutTheFieldIsRefusedNamingItRatherThanClearingTheThreshold() {
        put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"3\"}");

        assertRefused(put(client, ALERTS, USER_TOKEN, "{}"), "low_balance_usdc");
        assertThat(ownThreshold(), is("3.00"));
    }

    @Test
    void anUnknownFieldAMalformedBodyOrAQueryParameterIsRefused() {
        assertRefused(put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"3\",\"high_balance_usdc\":\"9\"}"), "high_balance_usdc");
        assertRefused(put(client, ALERTS, USER_TOKEN, "{\"low_balance_usdc\":"), "body");
        assertRefused(client.put(ALERTS).queryParam("user_id", "user_2").header(HeaderNames.AUTHORIZATION, USER_TOKEN)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"low_balance_usdc\":\"3\"}".getBytes(StandardCharsets.UTF_8), String.class), "user_id");
        assertRefused(get(client, ALERTS, USER_TOKEN, "verbose", "1"), "verbose");
        assertThat(ownThreshold(), is("2.00"));
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        ClientResponseTyped<String> response = client.put(ALERTS).header(HeaderNames.AUTHORIZATION, USER_TOKEN)
                .header(HeaderNames.CONTENT_TYPE, "text/plain")
                .submit("low_balance_usdc=3".getBytes(StandardCharsets.UTF_8), String.class);

        assertProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void anAdminPathWithAUserIdTooLongIsRefusedNamingIt() {
        assertRefused(put(client, ADMIN_CREDITS + "u".repeat(256) + "/alerts", ADMIN_TOKEN, "{\"low_balance_usdc\":\"3\"}"), "user_id");
    }

    @Test
    void theOwnRoutesNeedAuthenticationAndTheAdminRouteTheAdminScope() {
        assertProblem(get(client, ALERTS, null), 401, "UNAUTHORIZED");
        assertProblem(put(client, ALERTS, null, "{\"low_balance_usdc\":\"3\"}"), 401, "UNAUTHORIZED");
        assertProblem(put(client, ADMIN_ALERTS, null, "{\"low_balance_usdc\":\"3\"}"), 401, "UNAUTHORIZED");
        assertProblem(put(client, ADMIN_ALERTS, USER_TOKEN, "{\"low_balance_usdc\":\"3\"}"), 403, "FORBIDDEN");
        assertProblem(put(client, ADMIN_ALERTS, bearer("gateway", METER), "{\"low_balance_usdc\":\"3\"}"), 403, "FORBIDDEN");
        assertThat(ownThreshold(), is("2.00"));
    }

    @Test
    void otherMethodsAreNotAllowed() {
        ClientResponseTyped<String> own = client.delete(ALERTS).header(HeaderNames.AUTHORIZATION, USER_TOKEN).request(String.class);
        ClientResponseTyped<String> admin = get(client, ADMIN_ALERTS, ADMIN_TOKEN);

        assertProblem(own, 405, "METHOD_NOT_ALLOWED");
        assertThat(own.headers().first(HeaderNames.ALLOW).orElse(""), is("GET, HEAD, PUT"));
        assertProblem(admin, 405, "METHOD_NOT_ALLOWED");
        assertThat(admin.headers().first(HeaderNames.ALLOW).orElse(""), is("PUT"));
    }
}
