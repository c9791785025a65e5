package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TOPUPS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The lot terms a grant may carry and the body of a top-up, refused at the edge: each bad value is a 400
 * naming its field, and nothing is written (the user still has no account). The fixture's clock stands at
 * {@link ApiFixture#NOW}, 2024-01-20T14:22:00Z, so "the future" and "ten years ahead" are fixed instants.
 */
class LotTermsValidationTest {

    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String DEPOSIT_TOKEN = bearer("payments", DEPOSIT);

    private DirectClient client;

    @BeforeEach
    void freshLedger() {
        client = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
    }

    private static String grantWith(String member) {
        return "{\"user_id\":\"user_1\",\"amount_usdc\":\"10\"," + member + "}";
    }

    private static String topupWith(String members) {
        return "{\"user_id\":\"user_1\",\"amount_usdc\":\"10\"," + members + "}";
    }

    private void assertRefusedNamingAndNothingWritten(ClientResponseTyped<String> response, String field) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
        assertThat(response.entity(), fields, is(List.of(field)));
        assertProblem(get(client, ADMIN_CREDITS + "user_1", ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @ParameterizedTest(name = "priority {0} is refused")
    @ValueSource(strings = {"-1", "101", "1000000", "99999999999999999999", "\"50\"", "1.5", "50.0", "5e1", "true", "[50]"})
    void aPriorityThatIsNotAJsonIntegerFrom0To100IsRefused(String priority) {
        assertRefusedNamingAndNothingWritten(post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"priority\":" + priority)), "priority");
    }

    @ParameterizedTest(name = "priority {0} is accepted")
    @ValueSource(strings = {"0", "100", "null"})
    void aPriorityAtEitherEndOfTheRangeOrNullIsAccepted(String priority) {
        ClientResponseTyped<String> response = post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"priority\":" + priority));

        assertThat(response.entity(), response.status().code(), is(201));
        assertThat(json(response.entity()).path("priority").asInt(), is(priority.equals("null") ? 50 : Integer.parseInt(priority)));
    }

    @ParameterizedTest(name = "expires_at {0} is refused")
    @ValueSource(strings = {
            // the past, and the very instant of the request: an expiry must be strictly in the future
            "2024-01-20T14:21:59.999Z", "2024-01-20T14:22:00Z", "2020-01-01T00:00:00Z",
            // more than ten years ahead, by one millisecond
            "2034-01-20T14:22:00.001Z",
            // not RFC 3339 / ISO-8601 with a zone
            "tomorrow", "2025-01-01", "2025-01-01T00:00:00", "2025-01-01T00:00Z", "2025-01-01 00:00:00Z",
            "2025-02-30T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00+25:00", "1735689600", "",
            // finer than milliseconds
            "2025-01-01T00:00:00.0001Z", "2025-01-01T00:00:00.000000001Z"})
    void anExpiryThatIsNotAFutureRfc3339InstantWithinTenYearsIsRefused(String expiresAt) {
        assertRefusedNamingAndNothingWritten(
                post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"expires_at\":\"" + expiresAt + "\"")), "expires_at");
    }

    @Test
    void anExpiryThatIsAJsonNumberIsRefused() {
        assertRefusedNamingAndNothingWritten(post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"expires_at\":1735689600")), "expires_at");
    }

    @ParameterizedTest(name = "expires_at {0} is accepted")
    @ValueSource(strings = {"2024-01-20T14:22:00.001Z", "2034-01-20T14:22:00Z", "2025-01-01T02:00:00+02:00",
            "2024-12-31T19:00:00.5-05:00"})
    void anExpiryWithZOrAnOffsetWithinTenYearsIsAcceptedAndShownInUtcWithMilliseconds(String expiresAt) {
        ClientResponseTyped<String> response = post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"expires_at\":\"" + expiresAt + "\""));

        assertThat(response.entity(), response.status().code(), is(201));
        String shown = json(response.entity()).path("expires_at").asText();
        assertThat(shown, is(switch (expiresAt) {
            case "2025-01-01T02:00:00+02:00" -> "2025-01-01T00:00:00.000Z";
            case "2024-12-31T19:00:00.5-05:00" -> "2025-01-01T00:00:00.500Z";
            case "2034-01-20T14:22:00Z" -> "2034-01-20T14:22:00.000Z";
            default -> expiresAt;
        }));
    }

    @ParameterizedTest(name = "category {0} is refused")
    @ValueSource(strings = {"\"bonus\"", "\"PAID\"", "\"\"", "1", "true"})
    void aCategoryOtherThanPromotionalOrPaidIsRefused(String category) {
        assertRefusedNamingAndNothingWritten(post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"category\":" + category)), "category");
    }

    @Test
    void anUnknownGrantFieldIsStillRefused() {
        assertRefusedNamingAndNothingWritten(post(client, GRANT, ADMIN_TOKEN, "k", grantWith("\"expires\":\"2025-01-01T00:00:00Z\"")),
                "expires");
    }

    @Test
    void everyBadTermIsNamedInOneAnswer() {
        JsonNode problem = assertProblem(post(client, GRANT, ADMIN_TOKEN, "k",
                grantWith("\"category\":\"bonus\",\"priority\":\"50\",\"expires_at\":\"soon\"")), 400, "VALIDATION_ERROR");

        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
        assertThat(fields, org.hamcrest.Matchers.containsInAnyOrder("category", "priority", "expires_at"));
    }

    @ParameterizedTest(name = "payment_reference of {0} characters is refused")
    @ValueSource(ints = {0, 256})
    void aPaymentReferenceOfNoneOrMoreThan255CharactersIsRefused(int length) {
        String body = topupWith("\"payment_reference\":\"" + "x".repeat(length) + "\"");

        assertRefusedNamingAndNothingWritten(post(client, TOPUPS, DEPOSIT_TOKEN, "k", body), "payment_reference");
    }

    @Test
    void aPaymentReferenceOf255CharactersIsAccepted() {
        String body = topupWith("\"payment_reference\":\"" + "x".repeat(255) + "\"");

        assertThat(post(client, TOPUPS, DEPOSIT_TOKEN, "k", body).status().code(), is(201));
    }

    @Test
    void aTopupWithoutAPaymentReferenceIsRefused() {
        assertRefusedNamingAndNothingWritten(post(client, TOPUPS, DEPOSIT_TOKEN, "k", "{\"user_id\":\"user_1\",\"amount_usdc\":\"10\"}"),
                "payment_reference");
    }

    @Test
    void aMemoOfMoreThan255CharactersIsRefused() {
        String body = topupWith("\"payment_reference\":\"tx-1\",\"memo\":\"" + "m".repeat(256) + "\"");

        assertRefusedNamingAndNothingWritten(post(client, TOPUPS, DEPOSIT_TOKEN, "k", body), "memo");
    }

    @Test
    void aTopupCannotSetLotTerms() {
        String body = topupWith("\"payment_reference\":\"tx-1\",\"category\":\"promotional\"");

        assertRefusedNamingAndNothingWritten(post(client, TOPUPS, DEPOSIT_TOKEN, "k", body), "category");
    }

    @Test
    void aTopupOfNothingIsRefused() {
        assertRefusedNamingAndNothingWritten(post(client, TOPUPS, DEPOSIT_TOKEN, "k",
                "{\"user_id\":\"user_1\",\"amount_usdc\":\"0\",\"payment_reference\":\"tx-1\"}"), "amount_usdc");
    }
}
