package credits.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The real service — web server, JWT verification, use case, PostgreSQL adapter, Flyway schema,
 * embedded PostgreSQL 18 — driven over HTTP on a random port, as the billing frontend drives it.
 */
class CreditsEndToEndTest {

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    @Test
    void aFirstTimeUserSeesAZeroBalanceThatIsNowStoredInPostgres() throws SQLException {
        String user = "e2e_" + UUID.randomUUID();

        ApiClient.Response response = service.api().getAs(user, "/api/billing/credits");

        assertThat(response.status(), is(200));
        assertThat(response.header("Content-Type"), startsWith("application/json"));
        assertThat(response.text("user_id"), is(user));
        assertThat(response.text("balance_usdc"), is("0.00"));
        assertThat(response.text("available_usdc"), is("0.00"));
        assertThat(response.text("created_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), is(true));
        assertThat(response.text("updated_at"), is(response.text("created_at")));
        assertThat(rowsFor(user), is(1));
    }

    @Test
    void aStoredBalanceIsReturnedExactlyToTheSmallestUnit() {
        String user = "e2e_" + UUID.randomUUID();
        assertThat(service.api().grant(user, "999999.9999999").status(), is(201));

        ApiClient.Response response = service.api().getAs(user, "/api/billing/credits");

        assertThat(response.text("balance_usdc"), is("999999.9999999"));
        assertThat(response.text("available_usdc"), is("999999.9999999"));
    }

    @Test
    void aReturningUserKeepsTheCreationTimeOfTheFirstVisit() {
        String user = "e2e_" + UUID.randomUUID();
        String first = service.api().getAs(user, "/api/billing/credits").text("created_at");

        String second = service.api().getAs(user, "/api/billing/credits").text("created_at");

        assertThat(second, is(first));
        assertThat(Instant.parse(first).isAfter(Instant.now().minusSeconds(60)), is(true));
    }

    @Test
    void thirtyTwoRacingFirstRequestsOfOneUserAllSucceedAndCreateOneAccount() throws Exception {
        String user = "e2e_race_" + UUID.randomUUID();
        int requests = 32;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return service.api().getAs(user, "/api/billing/credits");
                }));
            }
            start.countDown();
            Set<String> createdAts = new HashSet<>();
            for (Future<ApiClient.Response> future : futures) {
                ApiClient.Response response = future.get();
                assertThat(response.status(), is(200));
                createdAts.add(response.text("created_at"));
            }
            assertThat(createdAts.size(), is(1));
            assertThat(rowsFor(user), is(1));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestWithoutCredentialsIsRefusedWithProblemJsonAndARequestId() {
        ApiClient.Response response = service.api().send(HttpRequest.newBuilder(service.api().uri("/api/billing/credits")).GET());

        assertThat(response.status(), is(401));
        assertThat(response.header("Content-Type"), startsWith("application/problem+json"));
        assertThat(response.text("code"), is("UNAUTHORIZED"));
        assertThat(response.header("X-Request-Id"), notNullValue());
        assertThat(response.text("request_id"), is(response.header("X-Request-Id")));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String forged = new ApiClient(service.server().port(), "another-secret-that-is-long-enough-0123456789").tokenFor("mallory");

        ApiClient.Response response = service.api().send(HttpRequest.newBuilder(service.api().uri("/api/billing/credits"))
                .header("Authorization", "Bearer " + forged).GET());

        assertThat(response.status(), is(401));
        assertThat(response.text("code"), is("INVALID_TOKEN"));
    }

    @Test
    void theCallersRequestIdIsEchoed() {
        ApiClient.Response response = service.api().send(HttpRequest.newBuilder(service.api().uri("/api/billing/credits"))
                .header("Authorization", "Bearer " + service.api().tokenFor("echo_user"))
                .header("X-Request-Id", "frontend-42.a_b").GET());

        assertThat(response.status(), is(200));
        assertThat(response.header("X-Request-Id"), is("frontend-42.a_b"));
    }

    @Test
    void anUnknownQueryParameterIsAValidationErrorNamingIt() {
        ApiClient.Response response = service.api().getAs("query_user", "/api/billing/credits?invalid=param");

        assertThat(response.status(), is(400));
        assertThat(response.text("code"), is("VALIDATION_ERROR"));
        assertThat(response.json().get("errors").get(0).get("field").asText(), is("invalid"));
    }

    @Test
    void anUnknownRouteIsNotFoundInProblemJson() {
        ApiClient.Response response = service.api().getAs("lost_user", "/api/billing/nope");

        assertThat(response.status(), is(404));
        assertThat(response.text("code"), is("NOT_FOUND"));
    }

    private static int rowsFor(String user) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM credits WHERE user_id = ?")) {
            query.setString(1, user);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return TestDatabase.connect(service.server());
    }
}
