package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.StepClock;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.application.port.out.EntryIds;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.LotTerms;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static credits.adapters.http.support.ApiFixture.ADMIN;
import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.CURSOR_KEY;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.DEPOSIT;
import static credits.adapters.http.support.ApiFixture.GRANT;
import static credits.adapters.http.support.ApiFixture.LOTS;
import static credits.adapters.http.support.ApiFixture.METER;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.TOPUPS;
import static credits.adapters.http.support.ApiFixture.TRANSACTIONS;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.ApiFixture.entryId;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static credits.adapters.http.support.Requests.IDEMPOTENT_REPLAYED;
import static credits.adapters.http.support.Requests.get;
import static credits.adapters.http.support.Requests.post;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Top-ups, lot terms on grants, the balance breakdown and the lot listings through the real routing, on the
 * in-memory adapter, with one clock a test can move (the API's and the use cases'), so expiry is observed at
 * its exact instant without sleeping.
 */
class LotsApiTest {

    private static final String USER = "user_1";
    private static final String USER_TOKEN = bearer(USER);
    private static final String ADMIN_TOKEN = bearer("admin_1", ADMIN);
    private static final String METER_TOKEN = bearer("gateway", METER);
    private static final String DEPOSIT_TOKEN = bearer("payments", DEPOSIT);

    private StepClock clock;
    private DirectClient client;

    @BeforeEach
    void freshLedger() {
        clock = new StepClock(NOW);
        AtomicLong next = new AtomicLong();
        EntryIds ids = () -> new EntryId(new UUID(0, next.incrementAndGet()));
        UseCases useCases = ApiFixture.useCases(new InMemoryCreditsAdapter(), clock, ids);
        // The token was minted at the fixture's NOW; the clock only moves forward from there, within its hour.
        client = ApiFixture.client(CreditsApi.builder(useCases, AuthSettings.hmac(SECRET)).clock(clock)
                .historyCursorKey(CURSOR_KEY).build());
    }

    private ClientResponseTyped<String> grant(String key, String amount, String terms) {
        return post(client, GRANT, ADMIN_TOKEN, key, "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"" + amount + "\"" + terms + "}");
    }

    private ClientResponseTyped<String> topup(String token, String key, String amount, String paymentReference) {
        return post(client, TOPUPS, token, key, "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"" + amount
                + "\",\"payment_reference\":\"" + paymentReference + "\",\"memo\":\"USDC on Base\"}");
    }

    private ClientResponseTyped<String> deduct(String key, String amount) {
        return post(client, DEDUCTIONS, METER_TOKEN, key, "{\"user_id\":\"" + USER + "\",\"amount_usdc\":\"" + amount + "\"}");
    }

    private static JsonNode created(ClientResponseTyped<String> response) {
        assertThat(response.entity(), response.status().code(), is(201));
        return json(response.entity());
    }

    private JsonNode balance() {
        return json(get(client, CREDITS, USER_TOKEN).entity());
    }

    private static List<String> lotIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(lot -> ids.add(lot.path("grant_id").asText()));
        return ids;
    }

    // ---- top-ups -----------------------------------------------------------------------------------

    @Test
    void aTopupIsCreatedAsAPaidLotThatNeverExpiresWithItsPaymentAndMemo() {
        ClientResponseTyped<String> response = topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc");

        // The user's first entry, so its hash follows the chain's start.
        EntryId id = EntryId.parse(entryId(1));
        LedgerEntry deposit = new LedgerEntry(id, UserId.of(USER), EntryType.TOPUP, Usdc.parse("50"), Usdc.parse("50"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(id), List.of(), Optional.of(LotTerms.DEPOSIT),
                Optional.of(new LedgerEntry.Deposit("0xabc", Optional.of("USDC on Base"))), NOW);
        assertThat(response.entity(), is("{\"id\":\"" + entryId(1) + "\",\"type\":\"topup\",\"user_id\":\"user_1\","
                + "\"amount_usdc\":\"50.00\",\"balance_after_usdc\":\"50.00\",\"reference\":null,\"reason\":null,"
                + "\"deduction_id\":null,\"hold_id\":null,\"grant_id\":\"" + entryId(1) + "\",\"drawn_from\":[],"
                + "\"category\":\"paid\",\"priority\":50,\"expires_at\":null,\"payment_reference\":\"0xabc\","
                + "\"memo\":\"USDC on Base\",\"hash\":\"" + LedgerHash.of(LedgerHash.GENESIS, deposit) + "\","
                + "\"created_at\":\"2024-01-20T14:22:00.000Z\"}"));
        assertThat(response.status().code(), is(201));
        assertThat(balance().path("paid_usdc").asText(), is("50.00"));
    }

    @Test
    void theSameTopupUnderTheSameKeyIsAReplayThatCreditsNothingMore() {
        JsonNode first = created(topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc"));

        ClientResponseTyped<String> again = topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc");

        assertThat(again.status().code(), is(201));
        assertThat(again.headers().first(IDEMPOTENT_REPLAYED), is(Optional.of("true")));
        assertThat(json(again.entity()), is(first));
        assertThat(balance().path("balance_usdc").asText(), is("50.00"));
    }

    @Test
    void theSamePaymentUnderAnotherKeyIsAlreadyCreditedAndThatKeyStaysFree() {
        created(topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc"));

        JsonNode problem = assertProblem(topup(DEPOSIT_TOKEN, "dep-2", "50", "0xabc"), 409, "PAYMENT_ALREADY_CREDITED");
        JsonNode otherPayment = created(topup(DEPOSIT_TOKEN, "dep-2", "7", "0xdef"));

        assertThat(problem.has("errors"), is(false));
        assertThat(otherPayment.path("payment_reference").asText(), is("0xdef"));
        assertThat(balance().path("balance_usdc").asText(), is("57.00"));
    }

    @Test
    void aPaymentIsCreditedOnceWhoeverSendsItAndForWhicheverUser() {
        created(topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc"));

        assertProblem(post(client, TOPUPS, ADMIN_TOKEN, "by-hand",
                "{\"user_id\":\"user_2\",\"amount_usdc\":\"50\",\"payment_reference\":\"0xabc\"}"), 409, "PAYMENT_ALREADY_CREDITED");
        assertProblem(get(client, ADMIN_CREDITS + "user_2", ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @Test
    void aTopupNeedsTheDepositOrAdminScope() {
        assertProblem(topup(METER_TOKEN, "dep-1", "50", "0xabc"), 403, "FORBIDDEN");
        assertProblem(topup(USER_TOKEN, "dep-1", "50", "0xabc"), 403, "FORBIDDEN");
        assertProblem(post(client, GRANT, DEPOSIT_TOKEN, "g", "{\"user_id\":\"user_1\",\"amount_usdc\":\"1\"}"), 403, "FORBIDDEN");

        assertThat(topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc").status().code(), is(201));
        assertThat(topup(ADMIN_TOKEN, "dep-1", "5", "0xdef").status().code(), is(201));
    }

    @Test
    void aTopupWithoutAnIdempotencyKeyIsRefused() {
        assertProblem(topup(DEPOSIT_TOKEN, null, "50", "0xabc"), 400, "IDEMPOTENCY_KEY_REQUIRED");
    }

    // ---- grants with terms, deductions across lots, the balance breakdown ---------------------------

    @Test
    void aGrantShowsItsLotTermsAndAnExpiryInTheApisOwnForm() {
        JsonNode entry = created(grant("g-1", "20", ",\"category\":\"paid\",\"priority\":10,\"expires_at\":\"2025-01-01T01:00:00+01:00\""));

        assertThat(entry.path("grant_id").asText(), is(entry.path("id").asText()));
        assertThat(entry.path("category").asText(), is("paid"));
        assertThat(entry.path("priority").asInt(), is(10));
        assertThat(entry.path("expires_at").asText(), is("2025-01-01T00:00:00.000Z"));
        assertThat(entry.has("payment_reference"), is(false));
    }

    @Test
    void aDeductionSpanningTwoLotsListsBothInDrawingOrder() {
        String later = created(grant("g-1", "5", ",\"expires_at\":\"2025-06-01T00:00:00Z\"")).path("id").asText();
        String sooner = created(grant("g-2", "3", ",\"expires_at\":\"2025-01-01T00:00:00Z\"")).path("id").asText();

        JsonNode deduction = created(deduct("d-1", "4"));

        assertThat(deduction.path("grant_id").isNull(), is(true));
        assertThat(deduction.path("drawn_from").toString(), is("[{\"grant_id\":\"" + sooner + "\",\"amount_usdc\":\"3.00\"},"
                + "{\"grant_id\":\"" + later + "\",\"amount_usdc\":\"1.00\"}]"));
        assertThat(deduction.has("category"), is(false));
    }

    @Test
    void theBalanceSplitsPaidFromPromotionalAndNamesTheNextExpiry() {
        created(topup(DEPOSIT_TOKEN, "dep-1", "80", "0xabc"));
        created(grant("g-1", "20", ",\"expires_at\":\"2027-01-01T00:00:00Z\""));
        created(grant("g-2", "0.5", ",\"expires_at\":\"2027-01-01T00:00:00Z\""));
        created(grant("g-3", "1", ",\"expires_at\":\"2028-01-01T00:00:00Z\""));

        JsonNode own = balance();
        JsonNode admin = json(get(client, ADMIN_CREDITS + USER, ADMIN_TOKEN).entity());

        for (JsonNode body : List.of(own, admin)) {
            assertThat(body.path("balance_usdc").asText(), is("101.50"));
            assertThat(body.path("held_usdc").asText(), is("0.00"));
            assertThat(body.path("paid_usdc").asText(), is("80.00"));
            assertThat(body.path("promotional_usdc").asText(), is("21.50"));
            assertThat(body.path("next_expiry_at").asText(), is("2027-01-01T00:00:00.000Z"));
            assertThat(body.path("next_expiry_usdc").asText(), is("20.50"));
        }
    }

    @Test
    void withNothingThatExpiresTheNextExpiryIsNull() {
        created(topup(DEPOSIT_TOKEN, "dep-1", "80", "0xabc"));

        JsonNode body = balance();

        assertThat(body.path("next_expiry_at").isNull(), is(true));
        assertThat(body.path("next_expiry_usdc").isNull(), is(true));
    }

    @Test
    void aLotIsCountedUntilTheMillisecondBeforeItsExpiryAndNeverFromItOn() {
        created(grant("g-1", "5", ",\"expires_at\":\"2024-01-20T15:00:00Z\""));

        clock.advance(Duration.ofMinutes(38).minusMillis(1));
        JsonNode before = balance();
        clock.advance(Duration.ofMillis(1));
        JsonNode at = balance();

        assertThat(before.path("balance_usdc").asText(), is("5.00"));
        assertThat(at.path("balance_usdc").asText(), is("0.00"));
        assertThat(at.path("next_expiry_at").isNull(), is(true));
        JsonNode lots = json(get(client, LOTS, USER_TOKEN, "include", "all").entity());
        assertThat(lots.path("data").get(0).path("status").asText(), is("expired"));
        assertThat(lots.path("data").get(0).path("remaining_usdc").asText(), is("0.00"));
        assertThat(json(get(client, LOTS, USER_TOKEN).entity()).path("data").size(), is(0));
    }

    // ---- lot listings ------------------------------------------------------------------------------

    @Test
    void lotsAreListedInBurnDownOrderWithEveryMember() {
        String paid = created(topup(DEPOSIT_TOKEN, "dep-1", "50", "0xabc")).path("id").asText();
        String promo = created(grant("g-1", "25.5", ",\"expires_at\":\"2025-01-01T00:00:00Z\"")).path("id").asText();
        created(deduct("d-1", "0.25"));

        JsonNode page = json(get(client, LOTS, USER_TOKEN).entity());

        assertThat(lotIds(page), is(List.of(promo, paid)));
        assertThat(page.path("data").get(0).toString(), is("{\"grant_id\":\"" + promo + "\",\"category\":\"promotional\","
                + "\"priority\":50,\"expires_at\":\"2025-01-01T00:00:00.000Z\",\"original_usdc\":\"25.50\",\"remaining_usdc\":\"25.25\","
                + "\"reserved_usdc\":\"0.00\",\"status\":\"open\",\"created_at\":\"2024-01-20T14:22:00.000Z\"}"));
        assertThat(page.path("data").get(1).path("expires_at").isNull(), is(true));
        assertThat(page.path("next_cursor").isNull(), is(true));
    }

    @Test
    void aUsedLotIsListedOnlyWithIncludeAll() {
        String used = created(grant("g-1", "1", ",\"priority\":0")).path("id").asText();
        String open = created(grant("g-2", "5", "")).path("id").asText();
        created(deduct("d-1", "1"));

        JsonNode openOnly = json(get(client, LOTS, USER_TOKEN).entity());
        JsonNode all = json(get(client, LOTS, USER_TOKEN, "include", "all").entity());

        assertThat(lotIds(openOnly), is(List.of(open)));
        assertThat(lotIds(all), is(List.of(used, open)));
        assertThat(all.path("data").get(0).path("status").asText(), is("used"));
    }

    @Test
    void walkingTheCursorsListsEveryLotOnceInOrder() {
        List<String> granted = new ArrayList<>();
        for (int priority = 0; priority < 5; priority++) {
            granted.add(created(grant("g-" + priority, "1", ",\"priority\":" + priority)).path("id").asText());
        }

        List<String> walked = new ArrayList<>();
        JsonNode page = json(get(client, LOTS, USER_TOKEN, "limit", "2").entity());
        int pages = 1;
        walked.addAll(lotIds(page));
        while (!page.path("next_cursor").isNull()) {
            page = json(get(client, LOTS, USER_TOKEN, "limit", "2", "cursor", page.path("next_cursor").asText()).entity());
            walked.addAll(lotIds(page));
            pages++;
        }

        assertThat(walked, is(granted));
        assertThat(pages, is(3));
    }

    @Test
    void aLotListingOpensNoAccount() {
        JsonNode page = json(get(client, LOTS, USER_TOKEN).entity());

        assertThat(page.path("data").size(), is(0));
        assertThat(page.path("next_cursor"), is(json("null")));
        assertProblem(get(client, ADMIN_CREDITS + USER, ADMIN_TOKEN), 404, "NOT_FOUND");
    }

    @Test
    void badListingParametersAreRefusedNamingThem() {
        assertProblem(get(client, LOTS, USER_TOKEN, "include", "open"), 400, "VALIDATION_ERROR")
                .path("errors").forEach(error -> assertThat(error.path("field").asText(), is("include")));
        assertThat(field(get(client, LOTS, USER_TOKEN, "include", "ALL")), is("include"));
        assertThat(field(get(client, LOTS, USER_TOKEN, "limit", "0")), is("limit"));
        assertThat(field(get(client, LOTS, USER_TOKEN, "limit", "201")), is("limit"));
        assertThat(field(get(client, LOTS, USER_TOKEN, "cursor", "not-a-cursor")), is("cursor"));
        assertThat(field(get(client, LOTS, USER_TOKEN, "status", "open")), is("status"));
    }

    @Test
    void aHistoryCursorDoesNotOpenTheLotListingNorALotCursorTheHistory() {
        for (int i = 0; i < 3; i++) {
            created(grant("g-" + i, "1", ",\"priority\":" + i));
        }
        String historyCursor = json(get(client, TRANSACTIONS, USER_TOKEN, "limit", "1").entity()).path("next_cursor").asText();
        String lotCursor = json(get(client, LOTS, USER_TOKEN, "limit", "1").entity()).path("next_cursor").asText();

        assertThat(field(get(client, LOTS, USER_TOKEN, "cursor", historyCursor)), is("cursor"));
        assertThat(field(get(client, TRANSACTIONS, USER_TOKEN, "cursor", lotCursor)), is("cursor"));
    }

    @Test
    void anotherUsersLotCursorIsRefused() {
        for (int i = 0; i < 2; i++) {
            created(grant("g-" + i, "1", ",\"priority\":" + i));
        }
        String cursor = json(get(client, LOTS, USER_TOKEN, "limit", "1").entity()).path("next_cursor").asText();

        assertThat(field(get(client, LOTS, bearer("user_2"), "cursor", cursor)), is("cursor"));
    }

    @Test
    void anAdminListsAnyUsersLotsAndGetsNotFoundForAUserWithoutAnAccount() {
        String lot = created(grant("g-1", "1", "")).path("id").asText();

        JsonNode page = json(get(client, ADMIN_CREDITS + USER + "/lots", ADMIN_TOKEN, "include", "all").entity());

        assertThat(lotIds(page), is(List.of(lot)));
        assertProblem(get(client, ADMIN_CREDITS + "nobody/lots", ADMIN_TOKEN), 404, "NOT_FOUND");
        assertProblem(get(client, ADMIN_CREDITS + USER + "/lots", USER_TOKEN), 403, "FORBIDDEN");
        assertThat(field(get(client, ADMIN_CREDITS + USER + "/lots", ADMIN_TOKEN, "include", "none")), is("include"));
    }

    @Test
    void historyShowsTheNewMembersOnEveryEntry() {
        created(grant("g-1", "2", ""));
        created(deduct("d-1", "1"));

        JsonNode entries = json(get(client, TRANSACTIONS, USER_TOKEN).entity()).path("data");

        assertThat(entries.get(0).path("type").asText(), is("deduction"));
        assertThat(entries.get(0).path("drawn_from").get(0).path("grant_id").asText(), is(entryId(1)));
        assertThat(entries.get(0).path("hold_id"), is(json("null")));
        assertThat(entries.get(1).path("drawn_from").size(), is(0));
        assertThat(entries.get(1).path("expires_at"), is(json("null")));
        assertThat(entries.get(1).path("memo").isMissingNode(), is(true));
    }

    private static String field(ClientResponseTyped<String> response) {
        JsonNode problem = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(response.entity(), problem.path("errors").size(), is(1));
        return problem.path("errors").get(0).path("field").asText();
    }
}
