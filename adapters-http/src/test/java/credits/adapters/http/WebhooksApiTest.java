package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.LogCapture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.EndpointId;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ALERTS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TOPUPS;
import static credits.adapters.http.support.ApiFixture.WEBHOOKS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.delete;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static credits.adapters.http.support.Requests.put;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Webhook endpoints through the real routing on the in-memory store: creating, listing and deleting them, their
 * deliveries as money moves fill the outbox, every refusal (which stores nothing), and the secret shown once.
 */
class WebhooksApiTest {

    private static final String USER = "user_1";
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);
    private static final String ALL_EVENTS = "[\"balance.low\",\"balance.recovered\",\"balance.depleted\",\"credits.expired\","
            + "\"hold.expired\",\"topup.credited\"]";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private DirectClient client;

    @BeforeEach
    void anEmptyStore() {
        client = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
    }

    private ClientResponseTyped<String> create(String body) {
        return post(client, WEBHOOKS, ADMIN_TOKEN, null, body);
    }

    private JsonNode created(String body) {
        ClientResponseTyped<String> response = create(body);
        assertThat(response.entity(), response.status().code(), is(201));
        return json(response.entity());
    }

    private JsonNode ok(ClientResponseTyped<String> response) {
        assertThat(response.entity(), response.status().code(), is(200));
        return json(response.entity());
    }

    private JsonNode endpoints() {
        return ok(get(client, WEBHOOKS, ADMIN_TOKEN)).path("data");
    }

    private ClientResponseTyped<String> deliveries(String endpointId, String... query) {
        return get(client, WEBHOOKS + "/" + endpointId + "/deliveries", ADMIN_TOKEN, query);
    }

    private static void assertMatches(String text, String regex) {
        assertThat(text + " matches " + regex, text.matches(regex), is(true));
    }

    private static void assertRefused(ClientResponseTyped<String> response, String field) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(problem.toString(), problem.path("errors").get(0).path("field").asText(), is(field));
    }

    private void moved(String path, String token, String key, String body) {
        ClientResponseTyped<String> response = post(client, path, token, key, body);
        assertThat(response.entity(), response.status().code(), is(201));
    }

    // ---- creating -----------------------------------------------------------------------------------

    @Test
    void anEndpointIsCreatedForEveryEventWhenNoneAreNamedWithASecretAndItsCreationTime() {
        JsonNode endpoint = created("{\"url\":\"https://hooks.example.com/credits\"}");

        assertMatches(endpoint.path("id").asText(), UUID);
        assertThat(endpoint.path("url").asText(), is("https://hooks.example.com/credits"));
        assertThat(endpoint.path("events").toString(), is(ALL_EVENTS));
        assertThat(endpoint.path("description").isNull(), is(true));
        assertMatches(endpoint.path("secret").asText(), "whsec_[A-Za-z0-9+/]{43}=");
        assertThat(endpoint.path("created_at").asText(), is("2024-01-20T14:22:00.000Z"));
        List<String> members = new ArrayList<>();
        endpoint.fieldNames().forEachRemaining(members::add);
        assertThat(members, is(List.of("id", "url", "events", "description", "secret", "created_at")));
    }

    @Test
    void anEndpointKeepsTheEventsAndTheDescriptionItWasGivenAndALoopbackHttpUrl() {
        JsonNode endpoint = created("{\"url\":\"http://127.0.0.1:9000/hook\",\"events\":[\"topup.credited\",\"balance.low\"],"
                + "\"description\":\"email service\"}");

        assertThat(endpoint.path("url").asText(), is("http://127.0.0.1:9000/hook"));
        assertThat(endpoint.path("events").toString(), is("[\"balance.low\",\"topup.credited\"]"));
        assertThat(endpoint.path("description").asText(), is("email service"));
    }

    @Test
    void theSecretIsShownOnlyInTheCreationsAnswerAndNeverLogged() throws InterruptedException {
        JsonNode endpoint;
        List<LogRecord> logged;
        try (LogCapture access = LogCapture.of("credits.access", Level.INFO); LogCapture all = LogCapture.of("", Level.ALL)) {
            endpoint = created("{\"url\":\"https://hooks.example.com/credits\"}");
            access.next(1);
            logged = new ArrayList<>(all.records());
            logged.addAll(access.records());
        }
        String secret = endpoint.path("secret").asText();
        String id = endpoint.path("id").asText();

        String listing = get(client, WEBHOOKS, ADMIN_TOKEN).entity();
        assertThat(listing, containsString(id));
        assertThat(listing, not(containsString(secret)));
        assertThat(listing, not(containsString("\"secret\"")));
        assertThat(deliveries(id).entity(), not(containsString(secret)));
        for (LogRecord record : logged) {
            String text = record.getMessage() + " " + java.util.Arrays.deepToString(record.getParameters());
            assertThat(text, not(containsString(secret)));
        }
    }

    @Test
    void everyCreationGetsItsOwnIdAndSecret() {
        JsonNode first = created("{\"url\":\"https://a.example.com\"}");
        JsonNode second = created("{\"url\":\"https://a.example.com\"}");

        assertThat(first.path("id").asText(), not(is(second.path("id").asText())));
        assertThat(first.path("secret").asText(), not(is(second.path("secret").asText())));
    }

    @ParameterizedTest(name = "url {0} is refused naming url")
    @ValueSource(strings = {"\"ftp://files.example.com/hook\"", "\"file:///etc/passwd\"", "\"hooks.example.com/credits\"",
            "\"https://\"", "\"https://user:pw@hooks.example.com\"", "\"https://hooks.example.com/a#b\"", "\"not a url\"",
            "\"\"", "null", "42", "[\"https://hooks.example.com\"]"})
    void aUrlThatIsNotHttpOrHttpsIsRefusedNamingItAndStoresNothing(String url) {
        assertRefused(create("{\"url\":" + url + "}"), "url");
        assertThat(endpoints().size(), is(0));
    }

    @Test
    void aMissingUrlIsRefusedNamingIt() {
        assertRefused(create("{\"events\":[\"balance.low\"]}"), "url");
    }

    @ParameterizedTest(name = "events {0} is refused naming events")
    @ValueSource(strings = {"[]", "[\"balance.nope\"]", "[\"BALANCE.LOW\"]", "[\"balance.low\",\"balance.low\"]", "\"balance.low\"",
            "[1]", "[null]", "{}"})
    void badEventsAreRefusedNamingThemAndStoreNothing(String events) {
        assertRefused(create("{\"url\":\"https://hooks.example.com\",\"events\":" + events + "}"), "events");
        assertThat(endpoints().size(), is(0));
    }

    @Test
    void aTooLongDescriptionAnUnknownFieldOrAQueryParameterIsRefused() {
        assertRefused(create("{\"url\":\"https://hooks.example.com\",\"description\":\"" + "d".repeat(257) + "\"}"), "description");
        assertRefused(create("{\"url\":\"https://hooks.example.com\",\"secret\":\"whsec_AAAA\"}"), "secret");
        assertRefused(client.post(WEBHOOKS).queryParam("dry_run", "1").header(HeaderNames.AUTHORIZATION, ADMIN_TOKEN)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"url\":\"https://hooks.example.com\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), String.class),
                "dry_run");
        assertRefused(create("[\"https://hooks.example.com\"]"), "body");
        assertThat(endpoints().size(), is(0));
    }

    // ---- listing and deleting -----------------------------------------------------------------------

    @Test
    void theListingShowsEveryEndpointOldestFirstWithoutSecrets() {
        String first = created("{\"url\":\"https://a.example.com\",\"description\":\"first\"}").path("id").asText();
        String second = created("{\"url\":\"https://b.example.com\",\"events\":[\"hold.expired\"]}").path("id").asText();

        assertThat(get(client, WEBHOOKS, ADMIN_TOKEN).entity(), is("{\"data\":["
                + "{\"id\":\"" + first + "\",\"url\":\"https://a.example.com\",\"events\":" + ALL_EVENTS
                + ",\"description\":\"first\",\"created_at\":\"2024-01-20T14:22:00.000Z\"},"
                + "{\"id\":\"" + second + "\",\"url\":\"https://b.example.com\",\"events\":[\"hold.expired\"]"
                + ",\"description\":null,\"created_at\":\"2024-01-20T14:22:00.000Z\"}]}"));
    }

    @Test
    void aDeletedEndpointIsGoneFromTheListingAndItsDeliveriesAndASecondDeleteIsNotFound() {
        String id = created("{\"url\":\"https://a.example.com\"}").path("id").asText();

        ClientResponseTyped<String> deleted = delete(client, WEBHOOKS + "/" + id, ADMIN_TOKEN);

        assertThat(deleted.status().code(), is(204));
        assertThat(deleted.headers().contentLength().orElse(0), is(0L));
        assertThat(endpoints().size(), is(0));
        assertProblem(deliveries(id), 404, "NOT_FOUND");
        assertProblem(delete(client, WEBHOOKS + "/" + id, ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @ParameterizedTest(name = "endpoint id {0} is not found")
    @ValueSource(strings = {"not-an-id", "123", "00000000-0000-0000-0000-000000000001", "evt_00000000-0000-0000-0000-000000000001"})
    void anIdThatNamesNoEndpointIsNotFoundWhateverItsShape(String id) {
        created("{\"url\":\"https://a.example.com\"}");

        assertProblem(delete(client, WEBHOOKS + "/" + id, ADMIN_TOKEN), 404, "NOT_FOUND");
        assertProblem(deliveries(id), 404, "NOT_FOUND");
        assertThat(endpoints().size(), is(1));
    }

    // ---- deliveries ---------------------------------------------------------------------------------

    @Test
    void aDeductionThatCrossesTheThresholdShowsAPendingBalanceLowDelivery() {
        String id = created("{\"url\":\"https://hooks.example.com\",\"events\":[\"balance.low\"]}").path("id").asText();
        put(client, ALERTS, bearer(USER), "{\"low_balance_usdc\":\"5\"}");
        moved(GRANT, ADMIN_TOKEN, "grant-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"10\"}");
        assertThat(ok(deliveries(id)).path("data").size(), is(0));

        moved(DEDUCTIONS, METER_TOKEN, "deduct-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"6\"}");

        JsonNode page = ok(deliveries(id));
        assertThat(page.path("next_cursor").isNull(), is(true));
        JsonNode delivery = page.path("data").get(0);
        assertThat(page.path("data").size(), is(1));
        assertMatches(delivery.path("event_id").asText(), "evt_" + UUID);
        assertThat(delivery.toString().replace(delivery.path("event_id").asText(), "evt_"),
                is("{\"event_id\":\"evt_\",\"type\":\"balance.low\",\"status\":\"pending\",\"attempts\":0,"
                        + "\"last_status_code\":null,\"next_attempt_at\":\"2024-01-20T14:22:00.000Z\","
                        + "\"created_at\":\"2024-01-20T14:22:00.000Z\"}"));
    }

    @Test
    void deliveriesArePagedNewestFirstByOpaqueCursorsThatOpenOnlyTheirEndpointsListing() {
        String id = created("{\"url\":\"https://hooks.example.com\",\"events\":[\"topup.credited\"]}").path("id").asText();
        String other = created("{\"url\":\"https://other.example.com\"}").path("id").asText();
        String payments = bearer("payments", DEPOSIT);
        for (int i = 1; i <= 3; i++) {
            moved(TOPUPS, payments, "topup-" + i,
                    "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1\",\"payment_reference\":\"tx-" + i + "\"}");
        }
        List<String> all = new ArrayList<>();
        ok(deliveries(id)).path("data").forEach(delivery -> all.add(delivery.path("event_id").asText()));
        assertThat(all.size(), is(3));

        JsonNode first = ok(deliveries(id, "limit", "2"));
        String cursor = first.path("next_cursor").asText();
        JsonNode second = ok(deliveries(id, "limit", "2", "cursor", cursor));

        assertThat(first.path("data").get(0).path("event_id").asText(), is(all.get(0)));
        assertThat(first.path("data").get(1).path("event_id").asText(), is(all.get(1)));
        assertThat(second.path("data").size(), is(1));
        assertThat(second.path("data").get(0).path("event_id").asText(), is(all.get(2)));
        assertThat(second.path("next_cursor").isNull(), is(true));
        assertThat(cursor, not(containsString(id)));
        assertRefused(deliveries(other, "cursor", cursor), "cursor");
    }

    @ParameterizedTest(name = "{0}={1} is refused naming {0}")
    @ValueSource(strings = {"limit=0", "limit=201", "limit=05", "limit=x", "cursor=abc", "status=pending"})
    void aBadDeliveriesQueryIsRefusedNamingTheParameter(String parameter) {
        String id = created("{\"url\":\"https://hooks.example.com\"}").path("id").asText();
        String[] pair = parameter.split("=");

        assertRefused(deliveries(id, pair[0], pair[1]), pair[0]);
    }

    @Test
    void anEndpointGetsOnlyEventsRecordedAfterItWasCreated() {
        moved(TOPUPS, bearer("payments", DEPOSIT), "topup-1",
                "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1\",\"payment_reference\":\"tx-1\"}");

        String id = created("{\"url\":\"https://hooks.example.com\"}").path("id").asText();

        assertThat(ok(deliveries(id)).path("data").size(), is(0));
    }

    // ---- who may ------------------------------------------------------------------------------------

    @Test
    void everyWebhookRouteNeedsTheAdminScope() {
        String id = created("{\"url\":\"https://hooks.example.com\"}").path("id").asText();
        for (String token : new String[] {bearer(USER), METER_TOKEN, bearer("payments", DEPOSIT)}) {
            assertProblem(post(client, WEBHOOKS, token, null, "{\"url\":\"https://x.example.com\"}"), 403, "FORBIDDEN");
            assertProblem(get(client, WEBHOOKS, token), 403, "FORBIDDEN");
            assertProblem(delete(client, WEBHOOKS + "/" + id, token), 403, "FORBIDDEN");
            assertProblem(get(client, WEBHOOKS + "/" + id + "/deliveries", token), 403, "FORBIDDEN");
        }
        assertProblem(post(client, WEBHOOKS, null, null, "{\"url\":\"https://x.example.com\"}"), 401, "UNAUTHORIZED");
        assertProblem(get(client, WEBHOOKS, null), 401, "UNAUTHORIZED");
        assertProblem(delete(client, WEBHOOKS + "/" + id, null), 401, "UNAUTHORIZED");
        assertProblem(get(client, WEBHOOKS + "/" + id + "/deliveries", null), 401, "UNAUTHORIZED");
        assertThat(endpoints().size(), is(1));
    }

    @Test
    void otherMethodsAreNotAllowed() {
        String id = EndpointId.random().toString();
        ClientResponseTyped<String> onEndpoint = get(client, WEBHOOKS + "/" + id, ADMIN_TOKEN);
        ClientResponseTyped<String> onList = delete(client, WEBHOOKS, ADMIN_TOKEN);

        assertProblem(onEndpoint, 405, "METHOD_NOT_ALLOWED");
        assertThat(onEndpoint.headers().first(HeaderNames.ALLOW).orElse(""), is("DELETE"));
        assertProblem(onList, 405, "METHOD_NOT_ALLOWED");
        assertThat(onList.headers().first(HeaderNames.ALLOW).orElse(""), is("GET, HEAD, POST"));
    }
}
