package credits.adapters.http;

import credits.adapters.http.OpenApiDocument.Operation;
import credits.adapters.http.OpenApiRoutes.Comparison;
import credits.adapters.http.OpenApiRoutes.Recorded;
import credits.adapters.http.OpenApiRoutes.Route;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.support.ApiFixture;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.isOneOf;

/**
 * Holds the published OpenAPI document to the real routing: the routes are what {@link CreditsApi#services()}
 * registers (each service's {@code routing} run against a recorder, exactly what {@code register} installs),
 * not a list kept by hand. A route without its operation in the document, or an operation without its
 * route, fails here.
 */
class OpenApiRoutingTest {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final Recorded ROUTING = OpenApiRoutes.record(
            CreditsApi.builder(ApiFixture.mockedUseCases(), AuthSettings.hmac(ApiFixture.SECRET)).build().services());
    private static final Handler NOTHING = (request, response) -> { };

    @Test
    void everyRealRouteIsDocumentedAndEveryDocumentedOperationIsARealRoute() {
        assertThat("registrations the recorder cannot read as (method, path template)", ROUTING.unreadable(), empty());
        assertThat("the recorder saw no routes at all", ROUTING.routes(), not(empty()));

        Comparison comparison = OpenApiRoutes.compare(ROUTING.routes(), DOCUMENT.routes());

        assertThat(comparison.describe(), comparison.matches(), is(true));
    }

    @Test
    void theComparisonReportsARouteTheDocumentLacksAndADocumentedOperationThatIsNotRouted() {
        Route servedOnly = new Route("PUT", "/api/billing/credits/holds/{hold_id}");
        Route documentedOnly = new Route("GET", "/api/billing/credits/forecast");
        Set<Route> routed = new TreeSet<>(ROUTING.routes());
        routed.add(servedOnly);
        Set<Route> documented = new TreeSet<>(DOCUMENT.routes());
        documented.add(documentedOnly);

        Comparison comparison = OpenApiRoutes.compare(routed, documented);

        assertThat(comparison.matches(), is(false));
        assertThat(comparison.undocumented(), hasItem(servedOnly));
        assertThat(comparison.unrouted(), hasItem(documentedOnly));
        assertThat(comparison.describe(), containsString("PUT /api/billing/credits/holds/{hold_id}"));
        assertThat(comparison.describe(), containsString("GET /api/billing/credits/forecast"));
    }

    @Test
    void aServedHeadNeedNotBeDocumentedButADocumentedHeadMustBeServed() {
        Route get = new Route("GET", "/a");
        Route head = new Route("HEAD", "/a");

        assertThat(OpenApiRoutes.compare(Set.of(get, head), Set.of(get)).matches(), is(true));
        assertThat(OpenApiRoutes.compare(Set.of(get), Set.of(get, head)).unrouted(), contains(head));
    }

    @Test
    void theRecorderSeesEveryKindOfRegistrationWithItsOpenApiPath() {
        HttpService nested = rules -> rules.delete("/{+rest}", NOTHING);
        HttpService service = rules -> rules.get("/a/{id}", NOTHING)
                .head("/a/{id}", NOTHING)
                .post("/a", NOTHING, NOTHING)
                .route(Method.PUT, "/a/{id:[0-9]+}", NOTHING)
                .patch("/b", NOTHING)
                .options("/b", NOTHING)
                .any("/a", NOTHING)
                .register("/nested", nested);

        Recorded recorded = OpenApiRoutes.record(List.of(service));

        assertThat(recorded.routes(), containsInAnyOrder(new Route("GET", "/a/{id}"), new Route("HEAD", "/a/{id}"),
                new Route("POST", "/a"), new Route("PUT", "/a/{id}"), new Route("PATCH", "/b"),
                new Route("OPTIONS", "/b"), new Route("DELETE", "/nested/{rest}")));
        assertThat(recorded.fallbacks(), contains("/a"));
        assertThat(recorded.unreadable(), empty());
    }

    @Test
    void aRouteTheRecorderCannotReadIsReportedInsteadOfSkipped() {
        HttpService opaque = rules -> rules.route(HttpRoute.builder().methods(Method.GET).path("/x/{y}").handler(NOTHING).build());

        Recorded recorded = OpenApiRoutes.record(List.of(opaque));

        assertThat(recorded.routes(), empty());
        assertThat(recorded.unreadable().size(), is(1));
    }

    @Test
    void helidonPathTemplatesBecomeOpenApiTemplates() {
        assertThat(OpenApiRoutes.openApiPath("/api/admin/billing/credits/{user_id}/transactions"),
                is("/api/admin/billing/credits/{user_id}/transactions"));
        assertThat(OpenApiRoutes.openApiPath("/users/{id:\\d+}/files/{+path}"), is("/users/{id}/files/{path}"));
        // Unnamed parameters and wildcards have no OpenAPI spelling: left as written so they show up as differences.
        assertThat(OpenApiRoutes.openApiPath("/files/{}/*"), is("/files/{}/*"));
    }

    @Test
    void everyServedHeadIsOnAPathThatAlsoAnswersGetSoLeavingHeadUndocumentedHidesNothing() {
        for (Route route : ROUTING.routes()) {
            if (route.method().equals("HEAD")) {
                assertThat("HEAD without GET on " + route.path(), ROUTING.routes(), hasItem(new Route("GET", route.path())));
            }
        }
    }

    @Test
    void everyRoutedPathAnswersOtherMethodsWith405AndEveryOperationDocumentsIt() {
        Set<String> routedPaths = ROUTING.routes().stream().map(Route::path).collect(Collectors.toCollection(TreeSet::new));

        assertThat("paths with a 405 fallback", ROUTING.fallbacks(), is(routedPaths));
        for (Operation operation : DOCUMENT.operations()) {
            assertThat(operation.name(), DOCUMENT.responses(operation), hasKey("405"));
        }
    }

    @Test
    void everyOperationHasARequestAndAResponseExample() {
        for (Operation operation : DOCUMENT.operations()) {
            if (operation.node().containsKey("requestBody")) {
                Map<String, Object> body = DOCUMENT.resolveMap(operation.node().get("requestBody"), "request body");
                for (Map.Entry<String, Object> media : OpenApiDocument.map(body.get("content"), "content").entrySet()) {
                    assertThat("request example of " + operation.name() + " " + media.getKey(),
                            DOCUMENT.examples(OpenApiDocument.map(media.getValue(), media.getKey())), not(empty()));
                }
            }
            List<String> successes = new ArrayList<>();
            DOCUMENT.responses(operation).forEach((status, response) -> {
                if (status.startsWith("2")) {
                    successes.add(status);
                    if (status.equals("204")) {
                        assertThat("a 204 of " + operation.name() + " has no body", response, not(hasKey("content")));
                        return;
                    }
                    for (Map.Entry<String, Object> media : OpenApiDocument.map(response.get("content"), status).entrySet()) {
                        assertThat("response example of " + operation.name() + " " + status + " " + media.getKey(),
                                DOCUMENT.examples(OpenApiDocument.map(media.getValue(), media.getKey())), not(empty()));
                    }
                }
            });
            assertThat("success responses of " + operation.name(), successes, not(empty()));
        }
    }

    @Test
    void everyOperationRequiresABearerTokenAndNoneIsOpenToAnonymousCallers() {
        Map<String, Object> schemes = OpenApiDocument.map(
                OpenApiDocument.map(DOCUMENT.root().get("components"), "components").get("securitySchemes"), "securitySchemes");
        Map<String, Object> bearer = OpenApiDocument.map(schemes.get("bearerAuth"), "bearerAuth");
        assertThat(bearer.get("type"), is("http"));
        assertThat(bearer.get("scheme"), is("bearer"));
        assertThat(bearer.get("bearerFormat"), is("JWT"));
        assertThat(String.valueOf(bearer.get("description")), containsString("credits:admin"));
        assertThat(String.valueOf(bearer.get("description")), containsString("credits:meter"));
        assertThat(String.valueOf(bearer.get("description")), containsString("credits:deposit"));

        for (Operation operation : DOCUMENT.operations()) {
            Object security = operation.node().containsKey("security") ? operation.node().get("security") : DOCUMENT.root().get("security");
            List<Object> alternatives = OpenApiDocument.list(security);
            assertThat("security of " + operation.name(), alternatives, not(empty()));
            List<String> names = new ArrayList<>();
            for (Object alternative : alternatives) {
                Map<String, Object> requirement = OpenApiDocument.map(alternative, "security requirement of " + operation.name());
                assertThat("an empty requirement would let anonymous callers in: " + operation.name(), requirement.isEmpty(), is(false));
                for (String scheme : requirement.keySet()) {
                    assertThat("security scheme of " + operation.name(), schemes, hasKey(scheme));
                    names.add(scheme);
                }
            }
            assertThat(operation.name(), names, hasItem("bearerAuth"));
        }
    }

    @Test
    void everyOperationNamesTheScopesItNeedsAndDocuments403WhenItNeedsOne() {
        for (Operation operation : DOCUMENT.operations()) {
            assertThat(operation.name(), operation.node(), hasKey("x-required-scopes"));
            List<Object> scopes = OpenApiDocument.list(operation.node().get("x-required-scopes"));
            for (Object scope : scopes) {
                assertThat(operation.name(), String.valueOf(scope), isOneOf("credits:admin", "credits:meter", "credits:deposit"));
                assertThat("the description names the scope: " + operation.name(),
                        String.valueOf(operation.node().get("description")), containsString(String.valueOf(scope)));
            }
            if (!scopes.isEmpty()) {
                assertThat(operation.name(), DOCUMENT.responses(operation), hasKey("403"));
            }
        }
    }

    @Test
    void everyOperationDocumentsItsErrorsAsProblemJsonWithACode() {
        for (Operation operation : DOCUMENT.operations()) {
            Map<String, Map<String, Object>> responses = DOCUMENT.responses(operation);
            assertThat(operation.name(), responses.keySet(), hasItems("400", "401", "405", "429", "500", "503"));
            responses.forEach((status, response) -> {
                if (Integer.parseInt(status) < 400) {
                    return;
                }
                String where = operation.name() + " " + status;
                Map<String, Object> content = OpenApiDocument.map(response.get("content"), "content of " + where);
                assertThat(where, content.keySet(), contains("application/problem+json"));
                Map<String, Object> media = OpenApiDocument.map(content.get("application/problem+json"), where);
                Map<String, Object> schema = DOCUMENT.resolveMap(media.get("schema"), "schema of " + where);
                Map<String, Object> properties = OpenApiDocument.map(schema.get("properties"), "properties of " + where);
                assertThat(where, properties.keySet(), hasItems("code", "request_id", "errors", "status", "title", "detail"));
                assertThat(where, OpenApiDocument.list(schema.get("required")), hasItem("code"));
                assertThat("the examples of " + where, DOCUMENT.examples(media), not(empty()));
            });
        }
    }

    @Test
    void everyMoneyMovingPostRequiresAnIdempotencyKeyHeaderAndDocumentsReplays() {
        // Every POST of this API moves money (grant, top-up, deduction, refund, hold, capture, release), except the
        // creation of a webhook endpoint, which changes no balance.
        List<Route> posts = ROUTING.routes().stream()
                .filter(route -> route.method().equals("POST") && !route.path().equals(WebhooksHttpService.ENDPOINTS_PATH)).toList();
        assertThat(posts, not(empty()));
        for (Route post : posts) {
            Operation operation = operation(post);
            Map<String, Object> key = DOCUMENT.parameter(operation, "header", "Idempotency-Key")
                    .orElseThrow(() -> new AssertionError("no Idempotency-Key header on " + post));
            assertThat(post.toString(), key.get("required"), is(true));
            Map<String, Object> schema = DOCUMENT.resolveMap(key.get("schema"), "schema of Idempotency-Key");
            assertThat(post.toString(), schema.get("type"), is("string"));
            assertThat(post.toString(), schema.get("minLength"), is(1));
            assertThat(post.toString(), schema.get("maxLength"), is(255));

            // 201 for what a move creates; a release answers the hold it ended, 200.
            List<String> successes = DOCUMENT.responses(operation).keySet().stream().filter(s -> s.startsWith("2")).toList();
            assertThat("success of " + post, successes, contains(isOneOf("200", "201")));
            Map<String, Object> success = DOCUMENT.responses(operation).get(successes.getFirst());
            assertThat("success of " + post, OpenApiDocument.map(success.get("headers"), "headers"), hasKey("Idempotent-Replayed"));
            assertThat("409 of " + post, DOCUMENT.responses(operation), hasKey("409"));
        }
    }

    @Test
    void theProblemSchemasCodeEnumIsExactlyTheErrorCodes() {
        Map<String, Object> code = OpenApiDocument.map(
                OpenApiDocument.map(DOCUMENT.schema("Problem").get("properties"), "Problem properties").get("code"), "code");
        List<String> documented = OpenApiDocument.list(DOCUMENT.resolveMap(code, "code").get("enum")).stream().map(String::valueOf).toList();

        assertThat(documented, containsInAnyOrder(Arrays.stream(ErrorCode.values()).map(Enum::name).toArray(String[]::new)));
    }

    private static Operation operation(Route route) {
        return DOCUMENT.operations().stream().filter(o -> o.route().equals(route)).findFirst()
                .orElseThrow(() -> new AssertionError(route + " is not documented"));
    }
}
