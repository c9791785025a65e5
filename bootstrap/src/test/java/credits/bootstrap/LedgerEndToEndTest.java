package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
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
import static org.hamcrest.Matchers.nullValue;

/**
 * Money moving through the real service: grants, deductions, refunds and history over HTTP,
 * on embedded PostgreSQL, with real JWTs. After all tests the database itself is checked:
 * every balance equals the signed sum of its ledger and none is negative.
 */
class LedgerEndToEndTest {

    private static final String GRANT = "/api/admin/billing/credits/grant";
    private static final String DEDUCTIONS = "/api/billing/credits/deductions";
    private static final String REFUNDS = "/api/admin/billing/credits/refunds";

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    private static String admin;
    private static String meter;

    @BeforeAll
    static void mintTokens() {
        admin = service.api().tokenFor("finance_admin", "credits:admin");
        meter = service.api().tokenFor("metering_gateway", "credits:meter");
    }

    @Test
    void anAdminGrantIsCreatedExactlyAndShowsInTheBalance() {
        String user = newUser();

        ApiClient.Response granted = service.api().post(admin, GRANT, key(), body(user, "25.50", "\"reason\":\"welcome\""));

        assertThat(granted.status(), is(201));
        assertThat(granted.text("type"), is("grant"));
        assertThat(granted.text("user_id"), is(user));
        assertThat(granted.text("amount_usdc"), is("25.50"));
        assertThat(granted.text("balance_after_usdc"), is("25.50"));
        assertThat(granted.text("reason"), is("welcome"));
        assertThat(balanceOf(user), is("25.50"));
    }

    @Test
    void aRetriedGrantReplaysTheOriginalWithTheReplayHeaderAndMovesNoMoney() {
        String user = newUser();
        String key = key();
        ApiClient.Response first = service.api().post(admin, GRANT, key, body(user, "10", null));

        ApiClient.Response retry = service.api().post(admin, GRANT, key, "{ \"amount_usdc\": \"10.00\", \"user_id\": \"" + user + "\" }");

        assertThat(retry.status(), is(201));
        assertThat(retry.header("Idempotent-Replayed"), is("true"));
        assertThat(retry.json(), is(first.json()));
        assertThat(first.header("Idempotent-Replayed"), nullValue());
        assertThat(balanceOf(user), is("10.00"));
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflict() {
        String user = newUser();
        String key = key();
        service.api().post(admin, GRANT, key, body(user, "10", null));

        ApiClient.Response reused = service.api().post(admin, GRANT, key, body(user, "11", null));

        assertThat(reused.status(), is(409));
        assertThat(reused.text("code"), is("IDEMPOTENCY_KEY_REUSED"));
        assertThat(balanceOf(user), is("10.00"));
    }

    @Test
    void theMeterDeductsUsageAndTheBalanceFollows() {
        String user = newUser();
        service.api().grant(user, "1.00");

        ApiClient.Response charged = service.api().post(meter, DEDUCTIONS, key(),
                body(user, "0.0100000", "\"reference\":\"api_weather/forecast\""));

        assertThat(charged.status(), is(201));
        assertThat(charged.text("type"), is("deduction"));
        assertThat(charged.text("amount_usdc"), is("0.01"));
        assertThat(charged.text("balance_after_usdc"), is("0.99"));
        assertThat(charged.text("reference"), is("api_weather/forecast"));
        assertThat(balanceOf(user), is("0.99"));
    }

    @Test
    void aDeductionLargerThanTheBalanceIs402AndWritesNothing() {
        String user = newUser();
        service.api().grant(user, "1.00");

        ApiClient.Response refused = service.api().post(meter, DEDUCTIONS, key(), body(user, "2.50", null));

        assertThat(refused.status(), is(402));
        assertThat(refused.text("code"), is("INSUFFICIENT_BALANCE"));
        assertThat(balanceOf(user), is("1.00"));
        assertThat(history(admin, "/api/admin/billing/credits/" + user + "/transactions").size(), is(1));
    }

    @Test
    void aHundredConcurrentDeductionsNeverOverdraw() throws Exception {
        String user = newUser();
        service.api().grant(user, "1.00");
        int requests = 100;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return service.api().post(meter, DEDUCTIONS, key(), body(user, "0.03", null)).status();
                }));
            }
            start.countDown();
            int created = 0;
            int refused = 0;
            for (Future<Integer> status : statuses) {
                switch (status.get()) {
                    case 201 -> created++;
                    case 402 -> refused++;
                    default -> throw new AssertionError("unexpected status " + status.get());
                }
            }
            assertThat(created, is(33));
            assertThat(refused, is(67));
            assertThat(balanceOf(user), is("0.01"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void supportRefundsADeductionOnceAndNeverMoreThanIt() {
        String user = newUser();
        service.api().grant(user, "5");
        String deductionId = service.api().post(meter, DEDUCTIONS, key(), body(user, "2", null)).text("id");

        ApiClient.Response partial = service.api().post(admin, REFUNDS, key(),
                "{\"deduction_id\":\"" + deductionId + "\",\"amount_usdc\":\"0.5\",\"reason\":\"outage\"}");
        ApiClient.Response rest = service.api().post(admin, REFUNDS, key(),
                "{\"deduction_id\":\"" + deductionId + "\",\"reason\":\"rest of the outage\"}");
        ApiClient.Response tooMuch = service.api().post(admin, REFUNDS, key(),
                "{\"deduction_id\":\"" + deductionId + "\",\"amount_usdc\":\"0.0000001\",\"reason\":\"again\"}");

        assertThat(partial.status(), is(201));
        assertThat(partial.text("type"), is("refund"));
        assertThat(partial.text("deduction_id"), is(deductionId));
        assertThat(rest.text("amount_usdc"), is("1.50"));
        assertThat(tooMuch.status(), is(409));
        assertThat(tooMuch.text("code"), is("REFUND_EXCEEDS_DEDUCTION"));
        assertThat(balanceOf(user), is("5.00"));
    }

    @Test
    void refundingAnUnknownDeductionIsNotFound() {
        ApiClient.Response response = service.api().post(admin, REFUNDS, key(),
                "{\"deduction_id\":\"" + UUID.randomUUID() + "\",\"reason\":\"typo\"}");

        assertThat(response.status(), is(404));
        assertThat(response.text("code"), is("NOT_FOUND"));
    }

    @Test
    void walkingTheHistoryCursorsReturnsEveryEntryOnceNewestFirst() {
        String user = newUser();
        for (int i = 1; i <= 7; i++) {
            service.api().grant(user, i + ".00");
        }
        String token = service.api().tokenFor(user);

        List<JsonNode> walked = new ArrayList<>();
        String path = "/api/billing/credits/transactions?limit=3";
        int pages = 0;
        while (path != null) {
            ApiClient.Response page = service.api().get(token, path);
            assertThat(page.status(), is(200));
            page.json().get("data").forEach(walked::add);
            JsonNode next = page.json().get("next_cursor");
            path = next.isNull() ? null : "/api/billing/credits/transactions?limit=3&cursor=" + next.asText();
            pages++;
        }

        assertThat(pages, is(3));
        assertThat(walked.size(), is(7));
        Set<String> ids = new HashSet<>();
        walked.forEach(entry -> ids.add(entry.get("id").asText()));
        assertThat(ids.size(), is(7));
        assertThat(walked.get(0).get("amount_usdc").asText(), is("7.00"));
        assertThat(walked.get(6).get("amount_usdc").asText(), is("1.00"));
    }

    @Test
    void aGarbageCursorIsAValidationErrorNotAServerError() {
        ApiClient.Response response = service.api().get(service.api().tokenFor(newUser()), "/api/billing/credits/transactions?cursor=%27%3B--");

        assertThat(response.status(), is(400));
        assertThat(response.json().get("errors").get(0).get("field").asText(), is("cursor"));
    }

    @Test
    void aCursorOfAnotherUsersHistoryOrOfTheOldReadableFormIsAValidationError() {
        String owner = newUser();
        service.api().grant(owner, "1");
        service.api().grant(owner, "2");
        String cursor = service.api().get(service.api().tokenFor(owner), "/api/billing/credits/transactions?limit=1").text("next_cursor");
        String oldForm = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        for (String refused : List.of(cursor, oldForm)) {
            ApiClient.Response response = service.api().get(service.api().tokenFor(newUser()),
                    "/api/billing/credits/transactions?cursor=" + refused);
            assertThat(response.status(), is(400));
            assertThat(response.json().get("errors").get(0).get("field").asText(), is("cursor"));
        }
        assertThat(service.api().get(service.api().tokenFor(owner), "/api/billing/credits/transactions?cursor=" + cursor).status(), is(200));
    }

    @Test
    void anAdminReadsAnyAccountButNeverOpensOne() {
        String user = newUser();
        service.api().grant(user, "3.3");

        assertThat(service.api().get(admin, "/api/admin/billing/credits/" + user).text("balance_usdc"), is("3.30"));
        String nobody = newUser();
        assertThat(service.api().get(admin, "/api/admin/billing/credits/" + nobody).status(), is(404));
        assertThat(service.api().get(admin, "/api/admin/billing/credits/" + nobody).status(), is(404));
    }

    @Test
    void aPlainUserCannotGrantOrChargeAndReadsOnlyTheirOwnLedger() {
        String user = newUser();
        String token = service.api().tokenFor(user);

        assertThat(service.api().post(token, GRANT, key(), body(user, "1", null)).status(), is(403));
        assertThat(service.api().post(token, DEDUCTIONS, key(), body(user, "1", null)).status(), is(403));
        assertThat(service.api().get(token, "/api/admin/billing/credits/" + user).status(), is(403));
    }

    @Test
    void aMoneyMoveWithoutIdempotencyKeyIsRefused() {
        ApiClient.Response response = service.api().post(admin, GRANT, null, body(newUser(), "1", null));

        assertThat(response.status(), is(400));
        assertThat(response.text("code"), is("IDEMPOTENCY_KEY_REQUIRED"));
    }

    @Test
    void aPlainTextBodyIsUnsupportedAndAnOversizedBodyIsTooLarge() {
        ApiClient.Response plain = service.api().send(HttpRequest.newBuilder(service.api().uri(GRANT))
                .header("Authorization", "Bearer " + admin).header("Idempotency-Key", key())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
        ApiClient.Response huge = service.api().post(admin, GRANT, key(),
                body(newUser(), "1", "\"reason\":\"" + "x".repeat(70 * 1024) + "\""));

        assertThat(plain.status(), is(415));
        assertThat(huge.status(), is(413));
        assertThat(huge.text("code"), is("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void anAmountSentAsAJsonNumberIsAValidationErrorNamingTheField() {
        String user = newUser();
        ApiClient.Response response = service.api().post(admin, GRANT, key(), "{\"user_id\":\"" + user + "\",\"amount_usdc\":1.5}");

        assertThat(response.status(), is(400));
        assertThat(response.json().get("errors").get(0).get("field").asText(), is("amount_usdc"));
        assertThat(service.api().get(admin, "/api/admin/billing/credits/" + user).status(), is(404));
    }

    private static String balanceOf(String user) {
        return service.api().get(admin, "/api/admin/billing/credits/" + user).text("balance_usdc");
    }

    private static List<JsonNode> history(String token, String path) {
        List<JsonNode> entries = new ArrayList<>();
        service.api().get(token, path).json().get("data").forEach(entries::add);
        return entries;
    }

    private static String newUser() {
        return "dev_" + UUID.randomUUID();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static String body(String user, String amount, String extra) {
        return "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"" + (extra == null ? "" : "," + extra) + "}";
    }
}
