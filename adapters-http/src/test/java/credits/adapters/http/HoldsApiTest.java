package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.StepClock;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.application.port.out.EntryIds;
import credits.domain.EntryId;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.CURSOR_KEY;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.HOLDS;
import static credits.adapters.http.support.ApiFixture.LOTS;
import static credits.adapters.http.support.ApiFixture.MAX_ACTIVE_HOLDS;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.ApiFixture.entryId;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.IDEMPOTENT_REPLAYED;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Holds through the real routing on the in-memory adapter: placing, capturing, releasing and reading them, every
 * refusal (which writes nothing and leaves the key free) and every replay, with a clock a test moves to see a hold
 * expire at its instant without sleeping.
 */
class HoldsApiTest {

    private static final String USER = "user_1";
    private static final String USER_TOKEN = bearer(USER);
    private static final String OTHER_TOKEN = bearer("user_2");
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);

    private StepClock clock;
    private DirectClient client;

    @BeforeEach
    void tenUsdcGranted() {
        clock = new StepClock(NOW);
        AtomicLong next = new AtomicLong();
        EntryIds ids = () -> new EntryId(new UUID(0, next.incrementAndGet()));
        UseCases useCases = ApiFixture.useCases(new InMemoryCreditsAdapter(), clock, ids);
        client = ApiFixture.client(CreditsApi.builder(useCases, AuthSettings.hmac(SECRET)).clock(clock)
                .historyCursorKey(CURSOR_KEY).build());
        assertThat(post(client, GRANT, ADMIN_TOKEN, "grant-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"10\"}")
                .status().code(), is(201));
    }

    private ClientResponseTyped<String> hold(String key, String amount, String more) {
        return post(client, HOLDS, METER_TOKEN, key, "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"" + amount + "\"" + more + "}");
    }

    private ClientResponseTyped<String> capture(String holdId, String key, String body) {
        return post(client, HOLDS + "/" + holdId + "/capture", METER_TOKEN, key, body);
    }

    private ClientResponseTyped<String> release(String holdId, String key) {
        return post(client, HOLDS + "/" + holdId + "/release", METER_TOKEN, key, "{}");
    }

    private static JsonNode status(ClientResponseTyped<String> response, int status) {
        assertThat(response.entity(), response.status().code(), is(status));
        return json(response.entity());
    }

    private String placed(String key, String amount) {
        return status(hold(key, amount, ""), 201).path("id").asText();
    }

    private JsonNode balance() {
        return json(get(client, CREDITS, USER_TOKEN).entity());
    }

    private int historySize() {
        return json(get(client, TRANSACTIONS, USER_TOKEN).entity()).path("data").size();
    }

    // ---- placing ------------------------------------------------------------------------------------

    @Test
    void aHoldIsCreatedActiveWithItsExpiryAndTheHeldAmountIsNoLongerAvailable() {
        ClientResponseTyped<String> response = hold("h-1", "2", ",\"reference\":\"api_llm/chat\",\"expires_in_seconds\":120");

        assertThat(response.status().code(), is(201));
        assertThat(response.entity(), is("{\"id\":\"" + entryId(2) + "\",\"user_id\":\"user_1\",\"status\":\"active\","
                + "\"amount_usdc\":\"2.00\",\"captured_usdc\":null,\"reference\":\"api_llm/chat\","
                + "\"expires_at\":\"2024-01-20T14:24:00.000Z\",\"created_at\":\"2024-01-20T14:22:00.000Z\","
                + "\"resolved_at\":null,\"deduction_id\":null}"));
        JsonNode balance = balance();
        assertThat(balance.path("balance_usdc").asText(), is("10.00"));
        assertThat(balance.path("held_usdc").asText(), is("2.00"));
        assertThat(balance.path("available_usdc").asText(), is("8.00"));
    }

    @Test
    void aHoldWithoutAnExpiryLastsFifteenMinutes() {
        assertThat(status(hold("h-1", "1", ""), 201).path("expires_at").asText(), is("2024-01-20T14:37:00.000Z"));
    }

    @Test
    void theHoldEntryIsInTheHistoryNamingItselfAndTheLotsItReservesShowReserved() {
        String holdId = placed("h-1", "2");

        JsonNode entry = json(get(client, TRANSACTIONS, USER_TOKEN).entity()).path("data").get(0);
        JsonNode lot = json(get(client, LOTS, USER_TOKEN).entity()).path("data").get(0);

        assertThat(entry.path("type").asText(), is("hold"));
        assertThat(entry.path("hold_id").asText(), is(holdId));
        assertThat(entry.path("balance_after_usdc").asText(), is("10.00"));
        assertThat(entry.path("drawn_from").toString(), is("[{\"grant_id\":\"" + entryId(1) + "\",\"amount_usdc\":\"2.00\"}]"));
        assertThat(lot.path("remaining_usdc").asText(), is("10.00"));
        assertThat(lot.path("reserved_usdc").asText(), is("2.00"));
    }

    @Test
    void aHoldLargerThanTheAvailableBalanceIsRefusedWritesNothingAndLeavesTheKeyFree() {
        placed("h-1", "8");

        JsonNode problem = assertProblem(hold("h-2", "2.01", ""), 402, "INSUFFICIENT_BALANCE");
        int entries = historySize();
        ClientResponseTyped<String> smaller = hold("h-2", "2", "");

        assertThat(problem.path("detail").asText(), is("Available balance 2.00 is less than 2.01"));
        assertThat(entries, is(2));
        assertThat(smaller.status().code(), is(201));
    }

    @Test
    void aDeductionCannotSpendWhatAHoldReserves() {
        placed("h-1", "9.50");

        assertProblem(post(client, DEDUCTIONS, METER_TOKEN, "d-1", "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"0.51\"}"),
                402, "INSUFFICIENT_BALANCE");
    }

    @Test
    void beyondTheActiveHoldLimitAHoldIsRefusedUntilOneEnds() {
        String first = placed("h-1", "1");
        for (int i = 2; i <= MAX_ACTIVE_HOLDS; i++) {
            placed("h-" + i, "1");
        }

        JsonNode problem = assertProblem(hold("h-more", "1", ""), 409, "HOLD_LIMIT_REACHED");
        status(release(first, "r-1"), 200);

        assertThat(problem.path("detail").asText(), containsString(String.valueOf(MAX_ACTIVE_HOLDS)));
        assertThat(hold("h-more", "1", "").status().code(), is(201));
    }

    @Test
    void expiresInSecondsMustBeAJsonIntegerFromOneSecondToSevenDays() {
        for (String bad : new String[] {"\"60\"", "1.5", "0", "604801", "-1", "true"}) {
            JsonNode problem = assertProblem(hold("h-" + bad, "1", ",\"expires_in_seconds\":" + bad), 400, "VALIDATION_ERROR");
            assertThat(bad, problem.path("errors").get(0).path("field").asText(), is("expires_in_seconds"));
        }
        assertThat(hold("h-min", "1", ",\"expires_in_seconds\":1").status().code(), is(201));
        assertThat(hold("h-max", "1", ",\"expires_in_seconds\":604800").status().code(), is(201));
        assertThat(historySize(), is(3));
    }

    @Test
    void aHoldBodyIsValidatedFieldByField() {
        assertThat(assertProblem(hold("h-1", "0", ""), 400, "VALIDATION_ERROR").path("errors").get(0).path("field").asText(),
                is("amount_usdc"));
        assertThat(assertProblem(hold("h-1", "1.00000001", ""), 400, "VALIDATION_ERROR").path("errors").get(0).path("field")
                .asText(), is("amount_usdc"));
        assertThat(assertProblem(hold("h-1", "1", ",\"reference\":\"" + "r".repeat(256) + "\""), 400, "VALIDATION_ERROR")
                .path("errors").get(0).path("field").asText(), is("reference"));
        assertThat(assertProblem(hold("h-1", "1", ",\"note\":\"x\""), 400, "VALIDATION_ERROR").path("errors").get(0)
                .path("field").asText(), is("note"));
        assertThat(historySize(), is(1));
    }

    @Test
    void onlyTheMeterMayPlaceAHold() {
        String body = "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"1\"}";
        assertProblem(post(client, HOLDS, USER_TOKEN, "h-1", body), 403, "FORBIDDEN");
        assertProblem(post(client, HOLDS, ADMIN_TOKEN, "h-1", body), 403, "FORBIDDEN");
        assertProblem(post(client, HOLDS, METER_TOKEN, null, body), 400, "IDEMPOTENCY_KEY_REQUIRED");
    }

    @Test
    void aReplayedHoldCreationShowsTheHoldAsItWasPlacedEvenAfterItWasCaptured() {
        ClientResponseTyped<String> first = hold("h-1", "2", ",\"reference\":\"api_llm/chat\"");
        String holdId = json(first.entity()).path("id").asText();
        status(capture(holdId, "c-1", "{}"), 201);

        ClientResponseTyped<String> again = hold("h-1", "2.00", ",\"reference\":\"api_llm/chat\",\"expires_in_seconds\":900");

        assertThat(again.status().code(), is(201));
        assertThat(again.headers().first(IDEMPOTENT_REPLAYED), is(Optional.of("true")));
        assertThat(again.entity(), is(first.entity()));
        assertThat(hold("h-1", "3", "").status().code(), is(409));
    }

    // ---- capturing ----------------------------------------------------------------------------------

    @Test
    void aPartialCaptureChargesThatMuchFromTheReservedLotAndFreesTheRestAtOnce() {
        String holdId = placed("h-1", "2");

        JsonNode deduction = status(capture(holdId, "c-1", "{\"amount_usdc\":\"0.75\",\"reference\":\"chat 1\"}"), 201);

        assertThat(deduction.path("type").asText(), is("deduction"));
        assertThat(deduction.path("amount_usdc").asText(), is("0.75"));
        assertThat(deduction.path("balance_after_usdc").asText(), is("9.25"));
        assertThat(deduction.path("reference").asText(), is("chat 1"));
        assertThat(deduction.path("hold_id").asText(), is(holdId));
        assertThat(deduction.path("drawn_from").toString(), is("[{\"grant_id\":\"" + entryId(1) + "\",\"amount_usdc\":\"0.75\"}]"));
        JsonNode balance = balance();
        assertThat(balance.path("held_usdc").asText(), is("0.00"));
        assertThat(balance.path("available_usdc").asText(), is("9.25"));
        JsonNode shown = status(get(client, HOLDS + "/" + holdId, USER_TOKEN), 200);
        assertThat(shown.path("status").asText(), is("captured"));
        assertThat(shown.path("captured_usdc").asText(), is("0.75"));
        assertThat(shown.path("resolved_at").asText(), is("2024-01-20T14:22:00.000Z"));
        assertThat(shown.path("deduction_id").asText(), is(deduction.path("id").asText()));
    }

    @Test
    void aCaptureWithoutAnAmountChargesTheWholeHoldUnderTheHoldsReference() {
        String holdId = status(hold("h-1", "2", ",\"reference\":\"api_llm/chat\""), 201).path("id").asText();

        JsonNode deduction = status(capture(holdId, "c-1", "{}"), 201);

        assertThat(deduction.path("amount_usdc").asText(), is("2.00"));
        assertThat(deduction.path("reference").asText(), is("api_llm/chat"));
    }

    @Test
    void aCaptureAboveTheHoldIsRefusedChangesNothingAndLeavesTheKeyFree() {
        String holdId = placed("h-1", "2");

        JsonNode problem = assertProblem(capture(holdId, "c-1", "{\"amount_usdc\":\"2.01\"}"), 409, "CAPTURE_EXCEEDS_HOLD");

        assertThat(problem.path("detail").asText(), containsString("2.00"));
        assertThat(problem.has("errors"), is(false));
        assertThat(balance().path("held_usdc").asText(), is("2.00"));
        assertThat(historySize(), is(2));
        assertThat(capture(holdId, "c-1", "{\"amount_usdc\":\"2\"}").status().code(), is(201));
    }

    @Test
    void aCaptureOfZeroOrABadAmountIsAValidationErrorNamingTheField() {
        String holdId = placed("h-1", "2");

        for (String body : new String[] {"{\"amount_usdc\":\"0\"}", "{\"amount_usdc\":1}", "{\"amount_usdc\":\"-1\"}"}) {
            assertThat(body, assertProblem(capture(holdId, "c-1", body), 400, "VALIDATION_ERROR").path("errors").get(0)
                    .path("field").asText(), is("amount_usdc"));
        }
        assertThat(assertProblem(capture(holdId, "c-1", "{\"hold_id\":\"x\"}"), 400, "VALIDATION_ERROR").path("errors")
                .get(0).path("field").asText(), is("hold_id"));
        assertThat(balance().path("held_usdc").asText(), is("2.00"));
    }

    @Test
    void aHoldEndsOnceSoCapturingOrReleasingItAgainIsNotActiveNamingItsStatus() {
        String holdId = placed("h-1", "2");
        status(capture(holdId, "c-1", "{\"amount_usdc\":\"1\"}"), 201);

        JsonNode again = assertProblem(capture(holdId, "c-2", "{}"), 409, "HOLD_NOT_ACTIVE");
        JsonNode release = assertProblem(release(holdId, "r-1"), 409, "HOLD_NOT_ACTIVE");

        assertThat(again.path("detail").asText(), containsString("captured"));
        assertThat(release.path("detail").asText(), containsString("captured"));
        assertThat(historySize(), is(3));
    }

    @Test
    void aReplayedCaptureAnswersTheSameDeductionAndChargesNothingMore() {
        String holdId = placed("h-1", "2");
        ClientResponseTyped<String> first = capture(holdId, "c-1", "{\"amount_usdc\":\"0.50\"}");

        ClientResponseTyped<String> again = capture(holdId, "c-1", "{\"amount_usdc\":\"0.5\"}");

        assertThat(again.status().code(), is(201));
        assertThat(again.headers().first(IDEMPOTENT_REPLAYED), is(Optional.of("true")));
        assertThat(again.entity(), is(first.entity()));
        assertThat(balance().path("balance_usdc").asText(), is("9.50"));
    }

    @Test
    void theSameKeyOnAnotherHoldIsAReusedKey() {
        String one = placed("h-1", "1");
        String two = placed("h-2", "1");
        status(capture(one, "same-key", "{}"), 201);
        status(release(placed("h-3", "1"), "release-key"), 200);

        assertProblem(capture(two, "same-key", "{}"), 409, "IDEMPOTENCY_KEY_REUSED");
        assertProblem(release(two, "release-key"), 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(status(get(client, HOLDS + "/" + two, METER_TOKEN), 200).path("status").asText(), is("active"));
    }

    @Test
    void anyHoldIdThatIsNotOursOfAnyShapeIsNotFoundAndLeavesTheKeyFree() {
        String holdId = placed("h-1", "1");
        for (String unknown : new String[] {entryId(99), "not-a-uuid", "%E2%82%AC", entryId(1), holdId.toUpperCase() + "0"}) {
            assertProblem(capture(unknown, "c-1", "{}"), 404, "NOT_FOUND");
            assertProblem(release(unknown, "r-1"), 404, "NOT_FOUND");
            assertProblem(get(client, HOLDS + "/" + unknown, METER_TOKEN), 404, "NOT_FOUND");
        }
        assertThat(capture(holdId, "c-1", "{}").status().code(), is(201));
    }

    @Test
    void aBadBodyIsRefusedBeforeAnUnknownHold() {
        assertProblem(capture("not-a-uuid", "c-1", "{\"amount_usdc\":\"0\"}"), 400, "VALIDATION_ERROR");
    }

    // ---- releasing ----------------------------------------------------------------------------------

    @Test
    void aReleaseAnswersTheReleasedHoldAndMakesItsAmountAvailable() {
        String holdId = placed("h-1", "2");

        JsonNode released = status(release(holdId, "r-1"), 200);

        assertThat(released.path("id").asText(), is(holdId));
        assertThat(released.path("status").asText(), is("released"));
        assertThat(released.path("resolved_at").asText(), is("2024-01-20T14:22:00.000Z"));
        assertThat(released.path("captured_usdc").isNull(), is(true));
        assertThat(balance().path("available_usdc").asText(), is("10.00"));
        JsonNode entry = json(get(client, TRANSACTIONS, USER_TOKEN).entity()).path("data").get(0);
        assertThat(entry.path("type").asText(), is("hold_release"));
        assertThat(entry.path("reason").asText(), is("released"));
        assertThat(entry.path("hold_id").asText(), is(holdId));
    }

    @Test
    void anEmptyReleaseBodyAndAnEmptyObjectAreTheSameRequest() {
        String holdId = placed("h-1", "2");
        ClientResponseTyped<String> first = client.post(HOLDS + "/" + holdId + "/release")
                .header(HeaderNames.AUTHORIZATION, METER_TOKEN).header(HeaderNames.create("Idempotency-Key"), "r-1")
                .request(String.class);

        ClientResponseTyped<String> again = release(holdId, "r-1");

        assertThat(first.entity(), first.status().code(), is(200));
        assertThat(again.status().code(), is(200));
        assertThat(again.headers().first(IDEMPOTENT_REPLAYED), is(Optional.of("true")));
        assertThat(again.entity(), is(first.entity()));
        assertThat(historySize(), is(3));
    }

    @Test
    void aReleaseBodyWithAMemberIsRefused() {
        String holdId = placed("h-1", "2");

        JsonNode problem = assertProblem(post(client, HOLDS + "/" + holdId + "/release", METER_TOKEN, "r-1",
                "{\"reason\":\"x\"}"), 400, "VALIDATION_ERROR");

        assertThat(problem.path("errors").get(0).path("field").asText(), is("reason"));
        assertThat(balance().path("held_usdc").asText(), is("2.00"));
    }

    // ---- expiry and reads ---------------------------------------------------------------------------

    @Test
    void atItsExpiryAHoldShowsExpiredAndItsAmountIsAvailableWithNothingElseCalled() {
        String holdId = status(hold("h-1", "2", ",\"expires_in_seconds\":60"), 201).path("id").asText();

        clock.advance(Duration.ofSeconds(59));
        assertThat(balance().path("available_usdc").asText(), is("8.00"));
        clock.advance(Duration.ofSeconds(1));
        JsonNode shown = status(get(client, HOLDS + "/" + holdId, USER_TOKEN), 200);

        assertThat(shown.path("status").asText(), is("expired"));
        assertThat(shown.path("resolved_at").asText(), is("2024-01-20T14:23:00.000Z"));
        assertThat(balance().path("available_usdc").asText(), is("10.00"));
        assertThat(assertProblem(capture(holdId, "c-1", "{}"), 409, "HOLD_NOT_ACTIVE").path("detail").asText(),
                containsString("expired"));
    }

    @Test
    void aUserSeesOnlyTheirOwnHoldsAnotherUsersIsNotFound() {
        String holdId = placed("h-1", "1");

        assertThat(get(client, HOLDS + "/" + holdId, USER_TOKEN).status().code(), is(200));
        assertThat(get(client, HOLDS + "/" + holdId, ADMIN_TOKEN).status().code(), is(200));
        assertProblem(get(client, HOLDS + "/" + holdId, OTHER_TOKEN), 404, "NOT_FOUND");
        assertThat(json(get(client, HOLDS, OTHER_TOKEN).entity()).path("data").size(), is(0));
    }

    @Test
    void theHoldListingIsNewestFirstFiltersByStatusAndPagesWithSealedCursors() {
        String first = placed("h-1", "1");
        String second = placed("h-2", "1");
        String third = placed("h-3", "1");
        status(release(second, "r-1"), 200);

        JsonNode page = json(get(client, HOLDS, USER_TOKEN, "limit", "2").entity());
        JsonNode rest = json(get(client, HOLDS, USER_TOKEN, "limit", "2", "cursor", page.path("next_cursor").asText()).entity());
        JsonNode active = json(get(client, HOLDS, USER_TOKEN, "status", "active").entity());
        JsonNode admin = json(get(client, ADMIN_CREDITS + USER + "/holds", ADMIN_TOKEN, "status", "released").entity());

        assertThat(page.path("data").get(0).path("id").asText(), is(third));
        assertThat(page.path("data").get(1).path("id").asText(), is(second));
        assertThat(rest.path("data").size(), is(1));
        assertThat(rest.path("data").get(0).path("id").asText(), is(first));
        assertThat(rest.path("next_cursor").isNull(), is(true));
        assertThat(active.path("data").size(), is(2));
        assertThat(admin.path("data").size(), is(1));
        assertThat(admin.path("data").get(0).path("status").asText(), is("released"));
    }

    @Test
    void theHoldListingRefusesAnUnknownStatusAForeignCursorAndUnknownParameters() {
        placed("h-1", "1");
        placed("h-2", "1");
        String historyCursor = json(get(client, TRANSACTIONS, USER_TOKEN, "limit", "1").entity()).path("next_cursor").asText();

        assertThat(assertProblem(get(client, HOLDS, USER_TOKEN, "status", "open"), 400, "VALIDATION_ERROR").path("errors")
                .get(0).path("field").asText(), is("status"));
        assertThat(assertProblem(get(client, HOLDS, USER_TOKEN, "cursor", historyCursor), 400, "VALIDATION_ERROR")
                .path("errors").get(0).path("field").asText(), is("cursor"));
        assertThat(assertProblem(get(client, HOLDS, USER_TOKEN, "include", "all"), 400, "VALIDATION_ERROR").path("errors")
                .get(0).path("field").asText(), is("include"));
        assertProblem(get(client, ADMIN_CREDITS + "nobody/holds", ADMIN_TOKEN), 404, "NOT_FOUND");
    }
}
