package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.HistoryCursor;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.LotTerms;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.REFUNDS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.IDEMPOTENT_REPLAYED;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The ledger over HTTP on the real use cases and the in-memory adapter: every outcome as the contract
 * states it, idempotent replays, nothing written by refused requests, history paging, admin reads.
 * Tests share one store, so each uses its own users.
 */
@RoutingTest
class LedgerApiTest {

    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);
    private static final HistoryCursors CURSORS = new HistoryCursors(ApiFixture.CURSOR_KEY);

    private final DirectClient client;

    LedgerApiTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
    }

    private ClientResponseTyped<String> grant(String userId, String amount, String key) {
        return post(client, GRANT, ADMIN_TOKEN, key, "{\"user_id\":\"" + userId + "\",\"amount_usdc\":\"" + amount + "\"}");
    }

    private ClientResponseTyped<String> deduct(String userId, String amount, String key) {
        return post(client, DEDUCTIONS, METER_TOKEN, key, "{\"user_id\":\"" + userId + "\",\"amount_usdc\":\"" + amount + "\"}");
    }

    private ClientResponseTyped<String> refund(String deductionId, String amount, String key) {
        String amountMember = amount == null ? "" : ",\"amount_usdc\":\"" + amount + "\"";
        return post(client, REFUNDS, ADMIN_TOKEN, key, "{\"deduction_id\":\"" + deductionId + "\"" + amountMember + ",\"reason\":\"bad charge\"}");
    }

    private String balance(String userId) {
        ClientResponseTyped<String> response = get(client, ADMIN_CREDITS + userId, ADMIN_TOKEN);
        assertThat(response.entity(), response.status().code(), is(200));
        return json(response.entity()).path("balance_usdc").asText();
    }

    private JsonNode history(String userId) {
        ClientResponseTyped<String> response = get(client, ADMIN_CREDITS + userId + "/transactions", ADMIN_TOKEN, "limit", "200");
        assertThat(response.entity(), response.status().code(), is(200));
        return json(response.entity()).path("data");
    }

    private static String id(ClientResponseTyped<String> response) {
        assertThat(response.entity(), response.status().code(), is(201));
        return json(response.entity()).path("id").asText();
    }

    // ---- grants ------------------------------------------------------------------------------------

    @Test
    void grantIsCreatedWithTheWholeTransactionAndOpensTheAccount() {
        DirectClient fresh = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));

        ClientResponseTyped<String> response = post(fresh, GRANT, ADMIN_TOKEN, "grant-1",
                "{\"user_id\":\"user_123\",\"amount_usdc\":\"25.50\",\"reason\":\"welcome credit\"}");

        // The user's first entry, so its hash follows the chain's start.
        EntryId id = EntryId.parse(ApiFixture.entryId(1));
        LedgerEntry welcomeGrant = new LedgerEntry(id, UserId.of("user_123"), EntryType.GRANT, Usdc.parse("25.50"), Usdc.parse("25.50"),
                Optional.empty(), Optional.of("welcome credit"), Optional.empty(), Optional.of(id), List.of(),
                Optional.of(LotTerms.DEFAULT_GRANT), Optional.empty(), ApiFixture.NOW);
        assertThat(response.status().code(), is(201));
        assertThat(response.entity(), is("{\"id\":\"" + ApiFixture.entryId(1) + "\",\"type\":\"grant\",\"user_id\":\"user_123\","
                + "\"amount_usdc\":\"25.50\",\"balance_after_usdc\":\"25.50\",\"reference\":null,\"reason\":\"welcome credit\","
                + "\"deduction_id\":null,\"hold_id\":null,\"grant_id\":\"" + ApiFixture.entryId(1) + "\",\"drawn_from\":[],"
                + "\"category\":\"promotional\",\"priority\":50,\"expires_at\":null,"
                + "\"hash\":\"" + LedgerHash.of(LedgerHash.GENESIS, welcomeGrant) + "\",\"created_at\":\"2024-01-20T14:22:00.000Z\"}"));
        assertThat(json(get(fresh, ADMIN_CREDITS + "user_123", ADMIN_TOKEN).entity()).path("balance_usdc").asText(), is("25.50"));
    }

    @Test
    void grantAddsExactlyTheAmountSent() {
        grant("exact", "0.0000001", "e1");
        grant("exact", "9999999999.9999999", "e2");

        assertThat(balance("exact"), is("10000000000.00"));
    }

    @Test
    void retriedGrantIsReplayedWithTheSameBodyAndMovesNoMoneyAgain() {
        ClientResponseTyped<String> first = grant("replayed", "25.50", "same-key");
        // The same request in other bytes: fields reordered, the amount spelled differently.
        ClientResponseTyped<String> retry = post(client, GRANT, ADMIN_TOKEN, "same-key",
                "{ \"amount_usdc\": \"25.5\", \"user_id\": \"replayed\" }");

        assertThat(first.headers().contains(IDEMPOTENT_REPLAYED), is(false));
        assertThat(retry.status().code(), is(201));
        assertThat(retry.headers().first(IDEMPOTENT_REPLAYED).orElse(""), is("true"));
        assertThat(retry.entity(), is(first.entity()));
        assertThat(balance("replayed"), is("25.50"));
        assertThat(history("replayed").size(), is(1));
    }

    @Test
    void sameKeyForADifferentGrantIsAConflictAndMovesNothing() {
        grant("reused", "10", "reused-key");

        assertProblem(grant("reused", "11", "reused-key"), 409, "IDEMPOTENCY_KEY_REUSED");
        assertProblem(grant("someone_else", "10", "reused-key"), 409, "IDEMPOTENCY_KEY_REUSED");
        assertThat(balance("reused"), is("10.00"));
        assertProblem(get(client, ADMIN_CREDITS + "someone_else", ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @Test
    void keysAreScopedToTheCallerAndTheEndpoint() {
        String otherAdmin = bearer("admin_2", ADMIN, METER);
        grant("scoped", "5", "shared-key");

        ClientResponseTyped<String> byOtherAdmin = post(client, GRANT, otherAdmin, "shared-key", "{\"user_id\":\"scoped\",\"amount_usdc\":\"5\"}");
        ClientResponseTyped<String> onOtherEndpoint = post(client, DEDUCTIONS, otherAdmin, "shared-key",
                "{\"user_id\":\"scoped\",\"amount_usdc\":\"1\"}");

        assertThat(byOtherAdmin.status().code(), is(201));
        assertThat(byOtherAdmin.headers().contains(IDEMPOTENT_REPLAYED), is(false));
        assertThat(onOtherEndpoint.status().code(), is(201));
        assertThat(balance("scoped"), is("9.00"));
    }

    // ---- deductions --------------------------------------------------------------------------------

    @Test
    void deductionIsCreatedWithTheBalanceItLeaves() {
        grant("spender", "1", "s1");

        ClientResponseTyped<String> response = post(client, DEDUCTIONS, METER_TOKEN, "s2",
                "{\"user_id\":\"spender\",\"amount_usdc\":\"0.0100000\",\"reference\":\"api_weather/forecast\"}");

        JsonNode body = json(response.entity());
        assertThat(response.status().code(), is(201));
        assertThat(body.path("type").asText(), is("deduction"));
        assertThat(body.path("user_id").asText(), is("spender"));
        assertThat(body.path("amount_usdc").asText(), is("0.01"));
        assertThat(body.path("balance_after_usdc").asText(), is("0.99"));
        assertThat(body.path("reference").asText(), is("api_weather/forecast"));
        assertThat(body.path("reason").isNull(), is(true));
        assertThat(body.path("deduction_id").isNull(), is(true));
        assertThat(balance("spender"), is("0.99"));
    }

    @Test
    void deductionLargerThanAvailableIsPaymentRequiredAndWritesNothing() {
        grant("short", "1", "short-1");

        JsonNode problem = assertProblem(deduct("short", "2.50", "short-2"), 402, "INSUFFICIENT_BALANCE");

        assertThat(problem.path("detail").asText(), is("Available balance 1.00 is less than 2.50"));
        assertThat(problem.has("errors"), is(false));
        assertThat(balance("short"), is("1.00"));
        assertThat(history("short").size(), is(1));
    }

    @Test
    void deductionRefusedForTheBalanceMayBeRetriedWithTheSameKeyOnceFunded() {
        grant("later", "1", "later-1");
        assertProblem(deduct("later", "2", "later-charge"), 402, "INSUFFICIENT_BALANCE");
        grant("later", "5", "later-2");

        ClientResponseTyped<String> retry = deduct("later", "2", "later-charge");

        assertThat(retry.status().code(), is(201));
        assertThat(retry.headers().contains(IDEMPOTENT_REPLAYED), is(false));
        assertThat(balance("later"), is("4.00"));
    }

    @Test
    void deductionTakingTheWholeBalanceLeavesZero() {
        grant("all_in", "0.03", "a1");

        assertThat(json(deduct("all_in", "0.03", "a2").entity()).path("balance_after_usdc").asText(), is("0.00"));
        assertProblem(deduct("all_in", "0.0000001", "a3"), 402, "INSUFFICIENT_BALANCE");
    }

    @Test
    void deductionFromAUserWithoutAnAccountIsPaymentRequiredAndOpensNone() {
        JsonNode problem = assertProblem(deduct("no_account", "0.01", "n1"), 402, "INSUFFICIENT_BALANCE");

        assertThat(problem.path("detail").asText(), is("Available balance 0.00 is less than 0.01"));
        assertProblem(get(client, ADMIN_CREDITS + "no_account", ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @Test
    void retriedDeductionIsReplayedAndChargesOnce() {
        grant("metered", "1", "m1");

        ClientResponseTyped<String> first = deduct("metered", "0.25", "call-42");
        ClientResponseTyped<String> retry = deduct("metered", "0.25", "call-42");

        assertThat(retry.status().code(), is(201));
        assertThat(retry.headers().first(IDEMPOTENT_REPLAYED).orElse(""), is("true"));
        assertThat(retry.entity(), is(first.entity()));
        assertThat(balance("metered"), is("0.75"));
        assertProblem(deduct("metered", "0.26", "call-42"), 409, "IDEMPOTENCY_KEY_REUSED");
    }

    // ---- refunds -----------------------------------------------------------------------------------

    @Test
    void refundWithoutAnAmountGivesBackTheWholeDeductionOnce() {
        grant("refunded", "10", "r1");
        String deductionId = id(deduct("refunded", "4", "r2"));

        ClientResponseTyped<String> response = refund(deductionId, null, "r3");

        JsonNode body = json(response.entity());
        assertThat(response.status().code(), is(201));
        assertThat(body.path("type").asText(), is("refund"));
        assertThat(body.path("user_id").asText(), is("refunded"));
        assertThat(body.path("amount_usdc").asText(), is("4.00"));
        assertThat(body.path("balance_after_usdc").asText(), is("10.00"));
        assertThat(body.path("deduction_id").asText(), is(deductionId));
        assertThat(body.path("reason").asText(), is("bad charge"));
        JsonNode again = assertProblem(refund(deductionId, null, "r4"), 409, "REFUND_EXCEEDS_DEDUCTION");
        assertThat(again.path("detail").asText(), containsString("0.00 of it is still refundable"));
        assertThat(balance("refunded"), is("10.00"));
    }

    @Test
    void partialRefundsNeverExceedTheDeduction() {
        grant("partial", "10", "p1");
        String deductionId = id(deduct("partial", "4", "p2"));

        assertThat(refund(deductionId, "1.5", "p3").status().code(), is(201));
        JsonNode tooMuch = assertProblem(refund(deductionId, "2.6", "p4"), 409, "REFUND_EXCEEDS_DEDUCTION");
        assertThat(tooMuch.path("detail").asText(), containsString("2.50 of it is still refundable"));
        assertThat(json(refund(deductionId, "2.5", "p5").entity()).path("balance_after_usdc").asText(), is("10.00"));
        assertThat(balance("partial"), is("10.00"));
    }

    @Test
    void retriedRefundIsReplayed() {
        grant("refund_retry", "10", "rr1");
        String deductionId = id(deduct("refund_retry", "4", "rr2"));

        ClientResponseTyped<String> first = refund(deductionId, "1", "rr3");
        ClientResponseTyped<String> retry = refund(deductionId, "1", "rr3");

        assertThat(retry.headers().first(IDEMPOTENT_REPLAYED).orElse(""), is("true"));
        assertThat(retry.entity(), is(first.entity()));
        assertThat(balance("refund_retry"), is("7.00"));
    }

    @Test
    void refundOfAnUnknownDeductionOrOfAGrantIsNotFound() {
        String grantId = id(grant("not_a_deduction", "3", "nd1"));

        assertProblem(refund("123e4567-e89b-12d3-a456-426614174000", null, "nd2"), 404, "NOT_FOUND");
        assertProblem(refund(grantId, null, "nd3"), 404, "NOT_FOUND");
        assertThat(balance("not_a_deduction"), is("3.00"));
    }

    @Test
    void refundNamingAnIdThatIsNotOneOfOursIsNotFoundAndWritesNothing() {
        String deductionId = id(grantThenDeduct("odd_ids"));
        List<String> odd = List.of("not-a-uuid", "", deductionId.replace("-", ""), "{" + deductionId + "}", deductionId + "x",
                "deduction_" + deductionId, "z".repeat(5_000), "é🙂");
        int key = 0;
        for (String id : odd) {
            assertProblem(refund(id, "1", "odd-" + key++), 404, "NOT_FOUND");
        }

        assertThat(balance("odd_ids"), is("6.00"));
        assertThat(history("odd_ids").size(), is(2));
        // The same key still works for a real refund afterwards: the 404 stored nothing under it.
        assertThat(refund(deductionId, "1", "odd-0").status().code(), is(201));
    }

    private ClientResponseTyped<String> grantThenDeduct(String userId) {
        grant(userId, "10", userId + "-grant");
        return deduct(userId, "4", userId + "-deduct");
    }

    // ---- refused requests write nothing ------------------------------------------------------------

    @Test
    void invalidGrantWritesNothing() {
        assertProblem(post(client, GRANT, ADMIN_TOKEN, "g1", "{\"user_id\":\"ghost\",\"amount_usdc\":\"0\"}"), 400, "VALIDATION_ERROR");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, null, "{\"user_id\":\"ghost\",\"amount_usdc\":\"1\"}"), 400, "IDEMPOTENCY_KEY_REQUIRED");
        assertProblem(post(client, GRANT, ADMIN_TOKEN, "g1", "application/xml",
                "{\"user_id\":\"ghost\",\"amount_usdc\":\"1\"}".getBytes(StandardCharsets.UTF_8)), 415, "UNSUPPORTED_MEDIA_TYPE");

        assertProblem(get(client, ADMIN_CREDITS + "ghost", ADMIN_TOKEN), 404, "NOT_FOUND");
        // The key was not spent by the refusals.
        assertThat(post(client, GRANT, ADMIN_TOKEN, "g1", "{\"user_id\":\"ghost\",\"amount_usdc\":\"1\"}").status().code(), is(201));
    }

    @Test
    void invalidDeductionWritesNothing() {
        grant("careful", "5", "c1");

        assertProblem(post(client, DEDUCTIONS, METER_TOKEN, "c2", "{\"user_id\":\"careful\",\"amount_usdc\":1}"), 400, "VALIDATION_ERROR");
        assertProblem(post(client, DEDUCTIONS, METER_TOKEN, "c3", "{\"user_id\":\"careful\",\"amount_usdc\":\"1\",\"extra\":1}"),
                400, "VALIDATION_ERROR");

        assertThat(balance("careful"), is("5.00"));
        assertThat(history("careful").size(), is(1));
    }

    // ---- history -----------------------------------------------------------------------------------

    @Test
    void ownHistoryIsNewestFirstWithSignedDirectionInTheType() {
        grant("reader", "10", "h1");
        deduct("reader", "1", "h2");

        JsonNode page = json(get(client, TRANSACTIONS, bearer("reader")).entity());

        assertThat(page.path("data").size(), is(2));
        assertThat(page.path("data").get(0).path("type").asText(), is("deduction"));
        assertThat(page.path("data").get(0).path("amount_usdc").asText(), is("1.00"));
        assertThat(page.path("data").get(0).path("balance_after_usdc").asText(), is("9.00"));
        assertThat(page.path("data").get(1).path("type").asText(), is("grant"));
        assertThat(page.path("next_cursor").isNull(), is(true));
    }

    @Test
    void userWithoutEntriesHasAnEmptyHistory() {
        assertThat(get(client, TRANSACTIONS, bearer("quiet")).entity(), is("{\"data\":[],\"next_cursor\":null}"));
    }

    @Test
    void walkingTheCursorsReturnsEveryEntryOnceEvenWhileEntriesAreAdded() {
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            written.add(id(grant("walker", i + "", "w" + i)));
        }
        String user = bearer("walker");

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ClientResponseTyped<String> response = cursor == null
                    ? get(client, TRANSACTIONS, user, "limit", "3")
                    : get(client, TRANSACTIONS, user, "limit", "3", "cursor", cursor);
            assertThat(response.entity(), response.status().code(), is(200));
            JsonNode page = json(response.entity());
            page.path("data").forEach(entry -> seen.add(entry.path("id").asText()));
            pageSizes.add(page.path("data").size());
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            if (pages++ == 0) {
                // Written after the first page: newer than it, so the walk (going back in time) never sees it.
                grant("walker", "100", "w-late");
            }
        } while (cursor != null && pages < 10);

        List<String> newestFirst = new ArrayList<>(written);
        Collections.reverse(newestFirst);
        assertThat(seen, is(newestFirst));
        assertThat(new HashSet<>(seen).size(), is(seen.size()));
        assertThat(pageSizes, is(List.of(3, 3, 1)));
    }

    @Test
    void defaultPageHasFiftyEntriesAndACursorToTheRest() {
        for (int i = 1; i <= 55; i++) {
            grant("busy", "1", "b" + i);
        }

        JsonNode first = json(get(client, TRANSACTIONS, bearer("busy")).entity());
        JsonNode rest = json(get(client, TRANSACTIONS, bearer("busy"), "cursor", first.path("next_cursor").asText()).entity());

        assertThat(first.path("data").size(), is(50));
        assertThat(first.path("next_cursor").asText().isEmpty(), is(false));
        assertThat(rest.path("data").size(), is(5));
        assertThat(rest.path("next_cursor").isNull(), is(true));
    }

    @Test
    void cursorIsOpaqueAndReadsAsNothingInternal() {
        grant("opaque", "1", "o1");
        grant("opaque", "1", "o2");

        String cursor = json(get(client, TRANSACTIONS, bearer("opaque"), "limit", "1").entity()).path("next_cursor").asText();

        assertThat(cursor.matches("[A-Za-z0-9_-]+"), is(true));
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
        assertThat(decoded, not(containsString("v1:")));
        assertThat(CURSORS.decode(UserId.of("opaque"), cursor).position() >= 0, is(true));
    }

    @Test
    void oldReadableCursorIsAValidationErrorNamingTheCursor() {
        grant("upgraded", "1", "u1");
        grant("upgraded", "1", "u2");
        long position = CURSORS.decode(UserId.of("upgraded"),
                json(get(client, TRANSACTIONS, bearer("upgraded"), "limit", "1").entity()).path("next_cursor").asText()).position();
        String v1 = Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + position).getBytes(StandardCharsets.US_ASCII));

        JsonNode problem = assertProblem(get(client, TRANSACTIONS, bearer("upgraded"), "cursor", v1), 400, "VALIDATION_ERROR");
        assertThat(problem.path("errors").get(0).path("field").asText(), is("cursor"));
    }

    @Test
    void cursorOfOneUsersHistoryDoesNotOpenAnothersEvenForAnAdmin() {
        grant("cursor_owner", "1", "co1");
        grant("cursor_owner", "1", "co2");
        grant("cursor_other", "1", "co3");
        String owners = json(get(client, TRANSACTIONS, bearer("cursor_owner"), "limit", "1").entity()).path("next_cursor").asText();

        assertProblem(get(client, TRANSACTIONS, bearer("cursor_other"), "cursor", owners), 400, "VALIDATION_ERROR");
        assertProblem(get(client, ADMIN_CREDITS + "cursor_other/transactions", ADMIN_TOKEN, "cursor", owners), 400, "VALIDATION_ERROR");
        // The history's own cursor, whoever reads that history.
        assertThat(get(client, ADMIN_CREDITS + "cursor_owner/transactions", ADMIN_TOKEN, "cursor", owners).status().code(), is(200));
    }

    @Test
    void wellFormedCursorBeyondAnyEntryIsJustAnEmptyPage() {
        String farAway = CURSORS.encode(UserId.of("walker_none"), new HistoryCursor(0));

        ClientResponseTyped<String> response = get(client, TRANSACTIONS, bearer("walker_none"), "cursor", farAway);

        assertThat(response.status().code(), is(200));
        assertThat(response.entity(), is("{\"data\":[],\"next_cursor\":null}"));
    }

    @Test
    void malformedCursorOverRealDataIsAValidationErrorNeverAServerError() {
        grant("cursor_victim", "1", "cv1");
        for (String cursor : List.of("garbage", "djE6LTE", "djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "djI6MQ", "=====", "a".repeat(500))) {
            JsonNode problem = assertProblem(get(client, TRANSACTIONS, bearer("cursor_victim"), "cursor", cursor), 400, "VALIDATION_ERROR");
            assertThat(cursor, problem.path("errors").get(0).path("field").asText(), is("cursor"));
        }
    }

    // ---- admin reads -------------------------------------------------------------------------------

    @Test
    void adminSeesTheSameAccountAndHistoryAsTheUser() {
        grant("watched", "3", "wa1");
        deduct("watched", "1", "wa2");
        String user = bearer("watched");

        assertThat(get(client, ADMIN_CREDITS + "watched", ADMIN_TOKEN).entity(), is(get(client, CREDITS, user).entity()));
        JsonNode asAdmin = json(get(client, ADMIN_CREDITS + "watched/transactions", ADMIN_TOKEN, "limit", "1").entity());
        JsonNode asUser = json(get(client, TRANSACTIONS, user, "limit", "1").entity());
        assertThat(asAdmin.path("data"), is(asUser.path("data")));
        // Each cursor is sealed afresh, so the texts differ; both lead to the same next page.
        assertThat(CURSORS.decode(UserId.of("watched"), asAdmin.path("next_cursor").asText()),
                is(CURSORS.decode(UserId.of("watched"), asUser.path("next_cursor").asText())));
    }

    @Test
    void adminReadsOfAnUnknownUserAreNotFoundAndOpenNoAccount() {
        assertProblem(get(client, ADMIN_CREDITS + "stranger", ADMIN_TOKEN), 404, "NOT_FOUND");
        assertProblem(get(client, ADMIN_CREDITS + "stranger/transactions", ADMIN_TOKEN), 404, "NOT_FOUND");
        assertProblem(get(client, ADMIN_CREDITS + "stranger", ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @Test
    void adminHistoryOfAnAccountWithoutEntriesIsEmpty() {
        get(client, CREDITS, bearer("opened_only"));

        assertThat(get(client, ADMIN_CREDITS + "opened_only/transactions", ADMIN_TOKEN).entity(), is("{\"data\":[],\"next_cursor\":null}"));
    }

    @Test
    void userNamedLikeAnActionIsReadableThroughItsHistoryOnly() {
        grant("grant", "1", "named-1");

        assertProblem(get(client, GRANT, ADMIN_TOKEN), 405, "METHOD_NOT_ALLOWED");
        JsonNode history = json(get(client, ADMIN_CREDITS + "grant/transactions", ADMIN_TOKEN).entity());
        assertThat(history.path("data").get(0).path("user_id").asText(), is("grant"));
    }

    @Test
    void refusedRequestsLeakNoInternals() {
        ClientResponseTyped<String> response = refund("123e4567-e89b-12d3-a456-426614174000", null, "leak-1");

        assertThat(response.entity(), not(containsString("Exception")));
        assertThat(response.entity(), not(containsString("credits.")));
    }
}
