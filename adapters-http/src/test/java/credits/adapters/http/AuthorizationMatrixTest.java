package credits.adapters.http;

import credits.adapters.http.OpenApiRoutes.Recorded;
import credits.adapters.http.OpenApiRoutes.Route;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.application.port.in.CreateWebhookEndpoint;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.PlaceHold;
import credits.domain.CreditEventType;
import credits.domain.EndpointId;
import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.domain.WebhookSecret;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Requests.delete;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.put;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * Who may call which route: every real route × every kind of caller → the status it gets, as one table.
 * The requests are valid (bodies, Idempotency-Keys, an existing account and deduction), and they run on the
 * real use cases over the in-memory adapter, so the only thing that decides the status is authorization.
 * A route added to {@link CreditsApi#services()} without a row in {@link #TABLE}, or a row for a route that
 * is not served, fails {@link #everyRealRouteHasARowInTheTableAndEveryRowIsARealRoute()}.
 */
@RoutingTest
class AuthorizationMatrixTest {

    /** The account owner: has a balance and a deduction. */
    private static final String OWNER = "owner_1";
    private static final String OTHER = "other_1";

    /** The callers, in the order of the table's status columns. */
    enum Caller {
        ANONYMOUS("anonymous", null),
        USER("the account owner", bearer(OWNER)),
        OTHER_USER("another user", bearer(OTHER)),
        METER_SERVICE("the meter (credits:meter)", bearer("gateway", METER)),
        DEPOSIT_SERVICE("the payment service (credits:deposit)", bearer("payments", DEPOSIT)),
        ADMINISTRATOR("an admin (credits:admin)", bearer("admin_1", ADMIN));

        private final String description;
        private final String authorization;

        Caller(String description, String authorization) {
            this.description = description;
            this.authorization = authorization;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * One route: its method and path template as registered, the concrete request sent, and the status
     * each caller gets, in {@link Caller} order. {@value #CALLER} in the body becomes the caller's name, for
     * bodies that must differ per caller (one payment is credited once).
     */
    record Row(String method, String template, String path, String body,
               int anonymous, int user, int otherUser, int meter, int deposit, int admin) {

        Route route() {
            return new Route(method, template);
        }

        int expected(Caller caller) {
            return switch (caller) {
                case ANONYMOUS -> anonymous;
                case USER -> user;
                case OTHER_USER -> otherUser;
                case METER_SERVICE -> meter;
                case DEPOSIT_SERVICE -> deposit;
                case ADMINISTRATOR -> admin;
            };
        }
    }

    private static final String CALLER = "$CALLER";

    /** The id the seeded deduction gets: the second entry written (after the seeding grant). */
    private static final String DEDUCTION_ID = ApiFixture.entryId(2);
    /** The owner's two seeded holds: one the meter captures, one it releases. */
    private static final String CAPTURED_HOLD_ID = ApiFixture.entryId(3);
    private static final String RELEASED_HOLD_ID = ApiFixture.entryId(4);

    /** The seeded webhook endpoints: one an admin deletes, one whose deliveries are read. */
    private static final String DELETED_ENDPOINT = "6a1f0c3e-2b4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String LISTED_ENDPOINT = "7b2e1d4f-3c5e-4f6a-9b0c-1d2e3f4a5b6c";

    // @formatter:off
    private static final List<Row> TABLE = List.of(
            //      method  template / concrete path / body                                                 anon user other meter deposit admin
            new Row("GET",  "/api/billing/credits", "/api/billing/credits", null,
                                                                                                           401, 200, 200,  200,  200,     200),
            new Row("GET",  "/api/billing/credits/transactions", "/api/billing/credits/transactions", null,
                                                                                                           401, 200, 200,  200,  200,     200),
            new Row("POST", "/api/billing/credits/deductions", "/api/billing/credits/deductions",
                    "{\"user_id\":\"" + OWNER + "\",\"amount_usdc\":\"0.01\",\"reference\":\"api_weather/forecast\"}",
                                                                                                           401, 403, 403,  201,  403,     403),
            new Row("POST", "/api/admin/billing/credits/grant", "/api/admin/billing/credits/grant",
                    "{\"user_id\":\"" + OWNER + "\",\"amount_usdc\":\"1.50\",\"reason\":\"goodwill\"}",
                                                                                                           401, 403, 403,  403,  403,     201),
            new Row("POST", "/api/admin/billing/credits/refunds", "/api/admin/billing/credits/refunds",
                    "{\"deduction_id\":\"" + DEDUCTION_ID + "\",\"amount_usdc\":\"0.01\",\"reason\":\"bad charge\"}",
                                                                                                           401, 403, 403,  403,  403,     201),
            new Row("POST", "/api/billing/credits/topups", "/api/billing/credits/topups",
                    "{\"user_id\":\"" + OWNER + "\",\"amount_usdc\":\"5\",\"payment_reference\":\"tx-" + CALLER + "\"}",
                                                                                                           401, 403, 403,  403,  201,     201),
            new Row("GET",  "/api/billing/credits/lots", "/api/billing/credits/lots", null,
                                                                                                           401, 200, 200,  200,  200,     200),
            new Row("GET",  "/api/admin/billing/credits/{user_id}/lots", "/api/admin/billing/credits/" + OWNER + "/lots", null,
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("GET",  "/api/admin/billing/credits/{user_id}", "/api/admin/billing/credits/" + OWNER, null,
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("GET",  "/api/admin/billing/credits/{user_id}/transactions",
                    "/api/admin/billing/credits/" + OWNER + "/transactions", null,
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("POST", "/api/billing/credits/holds", "/api/billing/credits/holds",
                    "{\"user_id\":\"" + OWNER + "\",\"amount_usdc\":\"0.50\",\"reference\":\"api_llm/chat\"}",
                                                                                                           401, 403, 403,  201,  403,     403),
            new Row("GET",  "/api/billing/credits/holds", "/api/billing/credits/holds", null,
                                                                                                           401, 200, 200,  200,  200,     200),
            // Another user's hold is unknown to them: 404, as for an id that names nothing.
            new Row("GET",  "/api/billing/credits/holds/{hold_id}", "/api/billing/credits/holds/" + CAPTURED_HOLD_ID, null,
                                                                                                           401, 200, 404,  200,  404,     200),
            new Row("POST", "/api/billing/credits/holds/{hold_id}/capture",
                    "/api/billing/credits/holds/" + CAPTURED_HOLD_ID + "/capture", "{\"amount_usdc\":\"0.10\"}",
                                                                                                           401, 403, 403,  201,  403,     403),
            new Row("POST", "/api/billing/credits/holds/{hold_id}/release",
                    "/api/billing/credits/holds/" + RELEASED_HOLD_ID + "/release", "{}",
                                                                                                           401, 403, 403,  200,  403,     403),
            new Row("GET",  "/api/admin/billing/credits/{user_id}/holds", "/api/admin/billing/credits/" + OWNER + "/holds", null,
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("GET",  "/api/billing/credits/alerts", "/api/billing/credits/alerts", null,
                                                                                                           401, 200, 200,  200,  200,     200),
            new Row("PUT",  "/api/billing/credits/alerts", "/api/billing/credits/alerts", "{\"low_balance_usdc\":\"5\"}",
                                                                                                           401, 200, 200,  200,  200,     200),
            new Row("PUT",  "/api/admin/billing/credits/{user_id}/alerts", "/api/admin/billing/credits/" + OWNER + "/alerts",
                    "{\"low_balance_usdc\":null}",
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("POST", "/api/admin/billing/webhooks", "/api/admin/billing/webhooks", "{\"url\":\"https://hooks.example.com\"}",
                                                                                                           401, 403, 403,  403,  403,     201),
            new Row("GET",  "/api/admin/billing/webhooks", "/api/admin/billing/webhooks", null,
                                                                                                           401, 403, 403,  403,  403,     200),
            new Row("DELETE", "/api/admin/billing/webhooks/{endpoint_id}", "/api/admin/billing/webhooks/" + DELETED_ENDPOINT, null,
                                                                                                           401, 403, 403,  403,  403,     204),
            new Row("GET",  "/api/admin/billing/webhooks/{endpoint_id}/deliveries",
                    "/api/admin/billing/webhooks/" + LISTED_ENDPOINT + "/deliveries", null,
                                                                                                           401, 403, 403,  403,  403,     200));
    // @formatter:on

    private final DirectClient client;

    AuthorizationMatrixTest(DirectClient client) {
        this.client = client;
    }

    /**
     * The owner has 100.00 granted, 0.25 deducted and two holds of 1.00 (entries 1 to 4), written through the real
     * use cases.
     */
    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        AtomicLong next = new AtomicLong();
        Iterator<String> endpoints = List.of(DELETED_ENDPOINT, LISTED_ENDPOINT).iterator();
        UseCases useCases = ApiFixture.useCases(new InMemoryCreditsAdapter(), ApiFixture.CLOCK,
                () -> new EntryId(new UUID(0, next.incrementAndGet())),
                () -> endpoints.hasNext() ? EndpointId.find(endpoints.next()).orElseThrow() : EndpointId.random(), WebhookSecret::random);
        for (int i = 0; i < 2; i++) {
            useCases.createWebhookEndpoint().create(new CreateWebhookEndpoint.Command(URI.create("https://seed.example.com"),
                    Set.of(CreditEventType.values()), Optional.empty()));
        }
        UserId owner = UserId.of(OWNER);
        MoveOutcome granted = useCases.grantCredits().grant(new GrantCredits.Command(UserId.of("seed_admin"),
                new IdempotencyKey("seed-grant"), owner, Usdc.parse("100"), LotTerms.DEFAULT_GRANT, Optional.of("seed")));
        MoveOutcome deducted = useCases.deductCredits().deduct(new DeductCredits.Command(UserId.of("seed_meter"),
                new IdempotencyKey("seed-deduction"), owner, Usdc.parse("0.25"), Optional.of("seed")));
        assertThat(granted, instanceOf(MoveOutcome.Applied.class));
        assertThat(deducted, instanceOf(MoveOutcome.Applied.class));
        LedgerEntry deduction = ((MoveOutcome.Applied) deducted).entry();
        assertThat("the seeded deduction's id", deduction.id().value().toString(), is(DEDUCTION_ID));
        for (String hold : List.of(CAPTURED_HOLD_ID, RELEASED_HOLD_ID)) {
            MoveOutcome placed = useCases.placeHold().place(new PlaceHold.Command(UserId.of("seed_meter"),
                    new IdempotencyKey("seed-hold-" + hold), owner, Usdc.parse("1"), Optional.empty(), Optional.empty()));
            assertThat("the seeded hold's id", ((MoveOutcome.Applied) placed).entry().id().toString(), is(hold));
        }
        ApiFixture.route(routing, useCases, AuthSettings.hmac(SECRET));
    }

    static Stream<Arguments> table() {
        return TABLE.stream().flatMap(row -> Stream.of(Caller.values())
                .map(caller -> Arguments.of(row.route(), caller, row.expected(caller), row)));
    }

    @ParameterizedTest(name = "{0} by {1} answers {2}")
    @MethodSource("table")
    void eachRouteAnswersEachCallerWithTheStatusInTheTable(Route route, Caller caller, int expected, Row row) {
        // Every row sends its own key, so no request is a replay of another and each moves money at most once.
        String key = "matrix-" + caller.name() + "-" + row.path();
        ClientResponseTyped<String> response = switch (row.method()) {
            case "POST" -> post(client, row.path(), caller.authorization, key, row.body().replace(CALLER, caller.name()));
            case "PUT" -> put(client, row.path(), caller.authorization, row.body());
            case "DELETE" -> delete(client, row.path(), caller.authorization);
            default -> get(client, row.path(), caller.authorization);
        };

        assertThat(route + " by " + caller + ": " + (response.status().code() == 204 ? "" : response.entity()), response.status().code(), is(expected));
        switch (expected) {
            case 401 -> assertProblem(response, 401, "UNAUTHORIZED");
            case 403 -> assertProblem(response, 403, "FORBIDDEN");
            case 404 -> assertProblem(response, 404, "NOT_FOUND");
            default -> { }
        }
    }

    @Test
    void everyRealRouteHasARowInTheTableAndEveryRowIsARealRoute() {
        Recorded recorded = OpenApiRoutes.record(
                CreditsApi.builder(ApiFixture.mockedUseCases(), AuthSettings.hmac(SECRET)).build().services());
        assertThat("registrations the recorder cannot read as (method, path template)", recorded.unreadable(), empty());
        // HEAD answers as GET does and the any(...) registrations are the 405 fallbacks: neither is a row.
        Set<Route> served = recorded.routes().stream()
                .filter(route -> !route.method().equals(Method.HEAD.text()))
                .collect(Collectors.toCollection(TreeSet::new));
        List<Route> rows = TABLE.stream().map(Row::route).toList();

        SortedSet<Route> withoutRow = new TreeSet<>(served);
        rows.forEach(withoutRow::remove);
        SortedSet<Route> notServed = new TreeSet<>(rows);
        notServed.removeAll(served);

        assertThat("served routes without a row in the authorization table: " + withoutRow
                        + "; rows in the authorization table for routes that are not served: " + notServed,
                withoutRow.isEmpty() && notServed.isEmpty(), is(true));
        assertThat("routes with more than one row: " + rows, rows.size(), is(Set.copyOf(rows).size()));
    }
}
