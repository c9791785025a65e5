package credits.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.adapters.http.OpenApiDocument.Operation;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.EndpointId;
import credits.domain.EntryId;
import credits.domain.WebhookSecret;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static credits.adapters.http.support.ApiFixture.SECRET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isOneOf;
import static org.hamcrest.Matchers.not;

/**
 * The document's examples sent to the real routing (in-memory store, the fixture's fixed clock, the examples' own
 * ids): what they answer is what the document shows, and the scopes each operation documents are the ones its
 * route enforces.
 */
class OpenApiExamplesTest {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final OpenApiSchemas SCHEMAS = new OpenApiSchemas(DOCUMENT);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The user every example is about. */
    private static final String USER = "user_123";
    /**
     * The examples tell one story, in this order: a welcome grant that expires, a deposit, one charged call
     * (drawn from the expiring lot), a partial refund of it, then the balance, lots and history as the user
     * and as an admin see them; then two holds, the first captured in part and the second released, and the
     * holds as the user and an admin see them. A webhook endpoint registered first gets the top-up's event; the
     * user sets a low-balance threshold, reads it, an admin removes it; then the endpoints, the endpoint's
     * deliveries, and its deletion. {@code operationId#n} sends the operation's n-th request example
     * (and compares with its n-th response example) under a key of its own.
     */
    private static final List<String> STORY = List.of("createWebhookEndpoint", "grantCredits", "topupCredits", "deductCredits", "refundDeduction",
            "getOwnCredits", "listOwnLots", "listOwnTransactions", "getUserCredits", "listUserLots", "listUserTransactions",
            "placeHold", "placeHold#2", "captureHold", "releaseHold", "getHold", "listOwnHolds", "listUserHolds",
            "setOwnAlerts", "getOwnAlerts", "setUserAlerts", "listWebhookEndpoints", "listWebhookDeliveries", "deleteWebhookEndpoint");
    /**
     * The ids the story's entries get, in the order it writes them (one per money-moving step): the ones its
     * examples show, so every id and every {@code hash} the routing answers is compared as text. The last, the
     * release's entry, appears in no example.
     */
    private static final List<String> STORY_IDS = List.of("0f8e9a6c-3b2d-4c1e-8f7a-6b5c4d3e2f10",
            "7c3b1a2d-4e5f-4a6b-9c8d-1e2f3a4b5c6d", "5b0c2d1e-8f43-4a8e-9a57-0d7f3f4f6b21", "9d4e2b7a-1c3f-4e5d-8a9b-0c1d2e3f4a5b",
            "9d2c7b4a-1e3f-4a5b-8c6d-7e8f9a0b1c2d", "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
            "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9");

    /** The webhook endpoint's id and secret in the examples. */
    private static final EndpointId STORY_ENDPOINT = EndpointId.find("4b7c2e91-5d3a-4f6b-8e2c-9a1d0f3b5c7e").orElseThrow();
    private static final WebhookSecret STORY_SECRET = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    private record Exchange(int status, String contentType, String body, ClientResponseTyped<String> response) {

        Object json() {
            try {
                return JSON.readValue(body, Object.class);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @Test
    void theExamplesSentInOrderToTheRealRoutingAnswerWhatTheDocumentShows() {
        assertThat("the story covers every operation", STORY.stream().map(step -> step.split("#")[0]).distinct().toList(),
                containsInAnyOrder(DOCUMENT.operations().stream().map(o -> o.node().get("operationId")).toArray()));
        Iterator<String> storyIds = STORY_IDS.iterator();
        DirectClient client = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter(), ApiFixture.CLOCK,
                () -> EntryId.parse(storyIds.next()), () -> STORY_ENDPOINT, () -> STORY_SECRET), AuthSettings.hmac(SECRET));

        for (String step : STORY) {
            String[] parts = step.split("#");
            Operation operation = operation(parts[0]);
            int variant = parts.length > 1 ? Integer.parseInt(parts[1]) - 1 : 0;
            Exchange exchange = send(client, operation, scopes(operation), variant);

            String success = successStatus(operation);
            assertThat(operation.name() + ": " + exchange.body(), String.valueOf(exchange.status()), is(success));
            if (!DOCUMENT.responses(operation).get(success).containsKey("content")) {
                assertThat(operation.name() + " answers no body", exchange.body(), is(""));
                continue;
            }
            Map<String, Object> media = successMedia(operation, exchange.contentType());
            Object actual = exchange.json();
            assertThat(operation.name(), SCHEMAS.violations(media.get("schema"), actual, operation.name()), empty());
            List<String> differences = new ArrayList<>();
            List<Object> examples = DOCUMENT.examples(media);
            compare(examples.get(Math.min(variant, examples.size() - 1)), actual, operation.name(), differences);
            assertThat(differences, empty());
        }
        assertThat("every story id was written", storyIds.hasNext(), is(false));
    }

    @Test
    void aRequestExampleSentAgainWithItsKeyAnswersTheSameEntryMarkedAsReplayed() {
        DirectClient client = freshClient();
        for (String operationId : List.of("grantCredits", "topupCredits", "deductCredits")) {
            Operation operation = operation(operationId);
            Exchange first = send(client, operation, scopes(operation));
            Exchange again = send(client, operation, scopes(operation));

            assertThat(operation.name(), again.status(), is(first.status()));
            assertThat(operation.name(), again.body(), is(first.body()));
            assertThat(operation.name(), first.response().headers().first(HeaderNames.create("Idempotent-Replayed")), is(Optional.empty()));
            assertThat(operation.name(), again.response().headers().first(HeaderNames.create("Idempotent-Replayed")), is(Optional.of("true")));
        }
    }

    @Test
    void theScopesEachOperationDocumentsAreTheOnesItsRouteEnforces() {
        DirectClient client = freshClient();
        for (Operation operation : DOCUMENT.operations()) {
            List<String> scopes = scopes(operation);

            Exchange withoutScopes = send(client, operation, List.of());
            Exchange withDocumentedScopes = send(client, operation, scopes);

            if (scopes.isEmpty()) {
                assertThat(operation.name(), withoutScopes.status(), not(isOneOf(401, 403)));
            } else {
                assertThat(operation.name(), withoutScopes.status(), is(403));
                assertThat(operation.name(), ((Map<?, ?>) withoutScopes.json()).get("code"), is("FORBIDDEN"));
            }
            assertThat(operation.name(), withDocumentedScopes.status(), not(isOneOf(401, 403)));
            // Whatever the route answered, the document describes it.
            assertThat(operation.name(), DOCUMENT.responses(operation), hasKey(String.valueOf(withoutScopes.status())));
            assertThat(operation.name(), DOCUMENT.responses(operation), hasKey(String.valueOf(withDocumentedScopes.status())));
        }
    }

    private static DirectClient freshClient() {
        return ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
    }

    /**
     * The operation's request as its examples spell it: path parameters, query parameters (but no
     * {@code cursor}, which only makes sense from a previous page), the idempotency key and the body, sent
     * as {@link #USER} with {@code scopes}.
     */
    private static Exchange send(DirectClient client, Operation operation, List<String> scopes) {
        return send(client, operation, scopes, 0);
    }

    /** As above, with the {@code variant}-th request example (counting from 0) under a key of its own. */
    private static Exchange send(DirectClient client, Operation operation, List<String> scopes, int variant) {
        String path = operation.path();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map<String, Object> parameter : DOCUMENT.parameters(operation)) {
            String name = String.valueOf(parameter.get("name"));
            Object example = parameter.get("example");
            switch (String.valueOf(parameter.get("in"))) {
                case "path" -> path = path.replace("{" + name + "}", String.valueOf(example));
                case "query" -> {
                    if (!name.equals("cursor")) {
                        query.put(name, String.valueOf(example));
                    }
                }
                case "header" -> headers.put(name, String.valueOf(example)
                        + (variant > 0 && name.equals("Idempotency-Key") ? "-" + (variant + 1) : ""));
                default -> throw new AssertionError("unexpected parameter " + parameter);
            }
        }
        Http1ClientRequest request = switch (operation.method()) {
            case "GET" -> client.get(path);
            case "POST" -> client.post(path);
            case "PUT" -> client.put(path);
            case "DELETE" -> client.delete(path);
            default -> throw new AssertionError("no request for " + operation.name());
        };
        query.forEach(request::queryParam);
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        request.header(HeaderNames.AUTHORIZATION, ApiFixture.bearer(USER, scopes.toArray(String[]::new)));
        ClientResponseTyped<String> response;
        if (operation.node().containsKey("requestBody")) {
            Map<String, Object> body = DOCUMENT.resolveMap(operation.node().get("requestBody"), "request body");
            Map<String, Object> media = OpenApiDocument.map(
                    OpenApiDocument.map(body.get("content"), "content").get("application/json"), "application/json");
            Map<String, Object> example = OpenApiDocument.map(DOCUMENT.examples(media).get(variant), "example");
            request.header(HeaderNames.CONTENT_TYPE, "application/json");
            try {
                response = request.submit(JSON.writeValueAsString(example).getBytes(StandardCharsets.UTF_8), String.class);
            } catch (JsonProcessingException e) {
                throw new AssertionError(e);
            }
        } else {
            response = request.request(String.class);
        }
        assertThat("X-Request-Id of " + operation.name(), response.headers().first(HeaderNames.create("X-Request-Id")).isPresent(), is(true));
        String contentType = response.headers().contentType().map(Object::toString).orElse("");
        // A 204 has no entity to read.
        String entity = response.status().code() == 204 ? "" : response.entity();
        return new Exchange(response.status().code(), contentType, entity, response);
    }

    private static Operation operation(String operationId) {
        return DOCUMENT.operations().stream().filter(o -> operationId.equals(o.node().get("operationId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + operationId));
    }

    private static List<String> scopes(Operation operation) {
        return OpenApiDocument.list(operation.node().get("x-required-scopes")).stream().map(String::valueOf).toList();
    }

    private static String successStatus(Operation operation) {
        List<String> successes = DOCUMENT.responses(operation).keySet().stream().filter(s -> s.startsWith("2")).toList();
        assertThat(operation.name(), successes.size(), is(1));
        return successes.getFirst();
    }

    private static Map<String, Object> successMedia(Operation operation, String contentType) {
        Map<String, Object> content = OpenApiDocument.map(DOCUMENT.responses(operation).get(successStatus(operation)).get("content"), "content");
        assertThat(operation.name() + " answered " + contentType, content, hasKey(contentType));
        return OpenApiDocument.map(content.get(contentType), contentType);
    }

    /**
     * Records where {@code actual} differs from {@code example}. A {@code next_cursor} is opaque, so only
     * whether there is one is compared; an {@code event_id} is made by the store, so only its shape is.
     */
    private static void compare(Object example, Object actual, String where, List<String> out) {
        if (example instanceof Map<?, ?> expected && actual instanceof Map<?, ?> real) {
            if (!expected.keySet().equals(real.keySet())) {
                out.add(where + ": members " + real.keySet() + ", the example shows " + expected.keySet());
                return;
            }
            for (Object key : expected.keySet()) {
                String name = String.valueOf(key);
                Object e = expected.get(key);
                Object a = real.get(key);
                if (name.equals("next_cursor")) {
                    if ((e == null) != (a == null)) {
                        out.add(where + ".next_cursor: " + a + ", the example shows " + e);
                    }
                } else if (name.equals("event_id")) {
                    if (!(a instanceof String id) || !id.matches("evt_[0-9a-f-]{36}")) {
                        out.add(where + ".event_id: " + a + " is not an event id");
                    }
                } else {
                    compare(e, a, where + "." + name, out);
                }
            }
        } else if (example instanceof List<?> expected && actual instanceof List<?> real) {
            if (expected.size() != real.size()) {
                out.add(where + ": " + real.size() + " items, the example shows " + expected.size());
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), real.get(i), where + "[" + i + "]", out);
            }
        } else if (example == null ? actual != null : !example.equals(actual)) {
            out.add(where + ": " + actual + ", the example shows " + example);
        }
    }

}
