package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The console in headless Chromium against the real service on embedded PostgreSQL, through a
 * test-only proxy that can alter what the browser is served. What a finance or support person does:
 * sign in with a token, look a user up, grant and refund with a confirmation, read the webhooks; what
 * a user sees of their own account; and the hash-chain badge, green only while every served entry
 * matches its hash. The browser runs in Asia/Kolkata (UTC+5:30, no summer time) so local times differ
 * from UTC visibly.
 */
class ConsoleBrowserTest {

    private static final String ZONE = "Asia/Kolkata";

    @RegisterExtension
    static final RunningService service = ConsoleScene.service();

    private static TamperingProxy proxy;
    private static ConsoleBrowser browser;
    private static ConsoleScene scene;

    @BeforeAll
    static void openTheBrowser() throws IOException {
        scene = new ConsoleScene(service.api());
        proxy = TamperingProxy.to(service.server().port());
        browser = ConsoleBrowser.start(proxy.origin(), ZONE);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theSignInPageSaysHowToMintADevTokenAndRefusesWhatIsNoUsableToken() {
        browser.openSignedOut();
        assertThat(browser.find(By.tagName("main")).getText(), containsString("bin/credits token --user finance --scope credits:admin"));

        browser.find(By.id("token")).sendKeys("not-a-token");
        browser.find(By.cssSelector("#sign-in-form button[type=submit]")).click();
        browser.waitForText(By.id("token-error"), "not a JWT");
        assertThat(browser.find(By.id("token")).getDomAttribute("aria-invalid"), is("true"));

        browser.find(By.id("token")).clear();
        browser.find(By.id("token")).sendKeys(service.api().tokenFor("finance", "credits:admin").replaceAll(".$", "x") + "x");
        browser.find(By.cssSelector("#sign-in-form button[type=submit]")).click();
        browser.waitForText(By.id("token-error"), "does not accept this token");
        assertThat("nothing was kept", browser.script("return sessionStorage.length"), is(0L));
    }

    @Test
    void anAdminLooksAUserUpAndSeesBalanceLotsHoldsAndAHistoryTheBrowserVerified() {
        String user = ConsoleScene.newUser("alice");
        scene.topup(user, "50.00");
        String grant = scene.grant(user, "25.50", ",\"reason\":\"welcome credit\",\"expires_at\":\"2030-01-01T00:00:00Z\"").text("id");
        String deduction = scene.deduct(user, "0.01", "api_weather/forecast").text("id");
        scene.hold(user, "2.00", "api_llm/chat", 600);

        browser.signIn(scene.adminToken());
        browser.waitForText(By.tagName("h1"), "Look up a user");
        browser.find(By.id("lookup-user")).sendKeys(user, Keys.ENTER);

        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "75.49");
        assertThat(figure("available_usdc"), is("73.49"));
        assertThat(figure("held_usdc"), is("2.00"));
        assertThat(figure("paid_usdc"), is("50.00"));
        assertThat(figure("promotional_usdc"), is("25.49"));
        assertThat("what expires then, less what the hold reserves of it", figure("next_expiry"), startsWith("23.49 on "));

        assertThat("lots in burn-down order: the expiring grant first", browser.until(d -> {
            List<WebElement> lots = d.findElements(By.cssSelector("tr[data-lot-id]"));
            return lots.size() == 2 ? lots : null;
        }).get(0).getDomAttribute("data-lot-id"), is(grant));
        WebElement hold = browser.waitFor(By.cssSelector("tr[data-hold-id]"));
        assertThat(hold.getText(), containsString("api_llm/chat"));
        assertMatches(hold.findElement(By.cssSelector("[data-expires]")).getText(), "(9|10) min \\d+ s");

        assertThat(browser.chainState(), is("intact"));
        assertThat(browser.find(By.id("chain-badge")).getText(), containsString("all 4 entries match their hashes"));
        assertThat(types(), contains("hold", "deduction", "grant", "topup"));
        WebElement drawn = row(deduction).findElement(By.cssSelector("td[data-label='Drawn from']"));
        assertThat("the deduction says which lot paid it", drawn.findElement(By.tagName("code")).getDomAttribute("title"), is(grant));
        assertThat(drawn.getText(), containsString("0.01"));
    }

    @Test
    void anAdminSignsInAndLooksAUserUpWithTheKeyboardAlone() {
        String user = ConsoleScene.newUser("keys");
        scene.grant(user, "7.25", "");
        browser.openSignedOut();

        browser.press(Keys.TAB);
        assertThat("from the page's heading, Tab reaches the token", browser.focused(), is("token"));
        browser.press(scene.adminToken(), Keys.TAB, Keys.ENTER);
        browser.waitForText(By.tagName("h1"), "Look up a user");
        assertThat("the lookup field has the focus", browser.focused(), is("lookup-user"));
        browser.press(user, Keys.ENTER);

        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "7.25");
        assertThat("the account's heading has the focus, so a screen reader starts there", browser.focused(), is("H1"));
    }

    @Test
    void aGrantWithAnExpiryIsConfirmedWithExactlyWhatMovesAndShowsUpAsItsLot() {
        String user = openNewAccountAsAdmin("bob", "10", "10.00");

        browser.find(By.id("grant-amount_usdc")).sendKeys("12.3456789");
        new Select(browser.find(By.id("grant-category"))).selectByValue("paid");
        browser.find(By.id("grant-priority")).clear();
        browser.find(By.id("grant-priority")).sendKeys("10");
        browser.setValue(By.id("grant-expires_at"), "2030-01-01T05:30"); // Kolkata: midnight UTC
        browser.find(By.id("grant-reason")).sendKeys("goodwill for the outage");
        browser.find(By.cssSelector("#grant-form button[type=submit]")).click();

        WebElement review = browser.waitFor(By.id("grant-review"));
        assertThat(review.findElement(By.cssSelector("[data-confirm=amount]")).getText(), is("12.3456789 USDC"));
        assertThat(review.getText(), containsString("paid, priority 10"));
        assertThat(review.getText(), containsString("(2030-01-01T00:00:00.000Z)"));
        assertThat(review.getText(), containsString("10.00 now → 22.3456789 after"));
        assertMatches(review.findElement(By.cssSelector("[data-confirm=key]")).getText(), "[0-9a-f-]{36}");
        assertThat("nothing moved before the confirmation", scene.account(user).text("balance_usdc"), is("10.00"));

        review.findElement(By.cssSelector("[data-action=confirm]")).click();

        browser.waitForText(By.cssSelector("#grant-h ~ .result"), "Granted 12.3456789 USDC");
        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "22.3456789");
        WebElement lot = browser.until(d -> d.findElements(By.cssSelector("tr[data-lot-id]")).stream()
                .filter(row -> row.getText().contains("12.3456789")).findFirst().orElse(null));
        WebElement expires = lot.findElement(By.cssSelector("td[data-label=Expires] time"));
        assertThat(expires.getDomAttribute("datetime"), is("2030-01-01T00:00:00.000Z"));
        assertThat("UTC on hover", expires.getDomAttribute("title"), is("2030-01-01T00:00:00.000Z (UTC)"));
        // ICU puts a narrow no-break space before AM.
        assertThat("the browser's own zone on the page", expires.getText().replace('\u202f', ' '), is("Jan 1, 2030, 5:30:00 AM"));
        JsonNode granted = scene.history(user).json().get("data").get(0);
        assertThat(granted.get("category").asText(), is("paid"));
        assertThat(granted.get("priority").asInt(), is(10));
        assertThat(granted.get("reason").asText(), is("goodwill for the outage"));
        assertThat(browser.chainState(), is("intact"));
    }

    @Test
    void aDeductionIsRefundedFromItsHistoryRowAfterAConfirmationAndTheRestIsOfferedNext() {
        String user = ConsoleScene.newUser("carol");
        String lot = scene.grant(user, "5", "").text("id");
        String deduction = scene.deduct(user, "1.50", "api_weather/batch").text("id");
        openAccountAsAdmin(user, "3.50");
        assertThat(browser.chainState(), is("intact"));

        row(deduction).findElement(By.cssSelector("[data-action=refund]")).click();
        browser.waitFor(By.id("refund-form"));
        assertThat(browser.find(By.id("refund-amount_usdc-hint")).getText(), containsString("1.50 USDC"));
        browser.find(By.id("refund-amount_usdc")).sendKeys("0.50");
        browser.find(By.id("refund-reason")).sendKeys("the call failed upstream");
        browser.find(By.cssSelector("#refund-form button[type=submit]")).click();

        WebElement review = browser.waitFor(By.id("refund-review"));
        assertThat(review.findElement(By.cssSelector("[data-confirm=amount]")).getText(), is("0.50 USDC"));
        assertThat(review.getText(), containsString(deduction));
        assertThat(review.getText(), containsString("3.50 now → 4.00 after"));
        assertThat(review.findElement(By.cssSelector("dd code.id")).getDomAttribute("title"), is(lot));
        review.findElement(By.cssSelector("[data-action=confirm]")).click();

        browser.waitForText(By.cssSelector("#refund .result"), "Refunded 0.50 USDC");
        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "4.00");
        browser.until(d -> types().getFirst().equals("refund"));
        JsonNode refund = scene.history(user).json().get("data").get(0);
        assertThat(refund.get("deduction_id").asText(), is(deduction));
        assertThat(refund.get("reason").asText(), is("the call failed upstream"));

        assertThat(browser.chainState(), is("intact"));
        row(deduction).findElement(By.cssSelector("[data-action=refund]")).click();
        browser.waitForText(By.id("refund-amount_usdc-hint"), "1.00 USDC");
    }

    @Test
    void whatTheApiRefusesIsShownInPlainWordsAtTheFieldItNames() {
        String user = openNewAccountAsAdmin("dave", "1", "1.00");

        browser.find(By.id("grant-amount_usdc")).sendKeys("1.123456789");
        browser.setValue(By.id("grant-expires_at"), "2020-01-01T00:00");
        browser.find(By.cssSelector("#grant-form button[type=submit]")).click();
        browser.waitFor(By.cssSelector("#grant-review [data-action=confirm]")).click();

        browser.waitForText(By.id("grant-amount_usdc-error"), "Amount (USDC): ");
        assertThat(browser.find(By.id("grant-amount_usdc")).getDomAttribute("aria-invalid"), is("true"));
        assertThat(browser.find(By.id("grant-expires_at-error")).getText(), startsWith("Expires: "));
        assertThat(browser.find(By.cssSelector("#grant-form .form-error")).getText(), containsString("refused some of what was sent"));
        assertThat("focus is on the first field named", browser.script("return document.activeElement.id"), is("grant-amount_usdc"));
        assertThat("nothing moved", scene.history(user).json().get("data").size(), is(1));
    }

    @Test
    void theSameFormKeepsItsIdempotencyKeyUntilItChangesOrSucceeds() {
        String user = openNewAccountAsAdmin("erin", "1", "1.00");
        browser.find(By.id("grant-amount_usdc")).sendKeys("2.00");

        String first = reviewedKey();
        back();
        assertThat("reviewed again unchanged", reviewedKey(), is(first));
        back();
        browser.find(By.id("grant-reason")).sendKeys("changed");
        String changed = reviewedKey();
        assertThat(changed, not(first));

        proxy.loseNextAnswerTo("/api/admin/billing/credits/grant");
        browser.find(By.cssSelector("#grant-review [data-action=confirm]")).click();
        browser.waitForText(By.cssSelector("#grant-form .form-error"), "Retrying this same form is safe");
        assertThat("the lost answer's grant did happen", scene.account(user).text("balance_usdc"), is("3.00"));
        assertThat("the retry of the same form", reviewedKey(), is(changed));
        browser.find(By.cssSelector("#grant-review [data-action=confirm]")).click();
        browser.waitForText(By.cssSelector("#grant-h ~ .result"), "replayed it: nothing moved twice");
        assertThat(scene.account(user).text("balance_usdc"), is("3.00"));

        browser.find(By.id("grant-amount_usdc")).sendKeys("2.00");
        browser.find(By.id("grant-reason")).sendKeys("changed");
        assertThat("after a success the same form is a new request", reviewedKey(), not(changed));
    }

    @Test
    void theHashBadgeTurnsRedAndNamesTheEntryWhenAServedAmountWasAltered() {
        String user = ConsoleScene.newUser("frank");
        scene.grant(user, "5", "");
        String deduction = scene.deduct(user, "1.00", "api_maps/route").text("id");
        scene.deduct(user, "0.25", "api_maps/geocode");
        openAccountAsAdmin(user, "3.75");
        assertThat(browser.chainState(), is("intact"));

        proxy.tamper(deduction, "0.10");
        try {
            browser.reload();
            assertThat(browser.chainState(), is("broken"));
        } finally {
            proxy.stopTampering();
        }
        WebElement badge = browser.find(By.id("chain-badge"));
        assertThat(badge.getText(), containsString("1 entry as served does not match its hash"));
        assertThat(badge.getText(), containsString(deduction));
        assertThat(badge.getDomAttribute("class"), containsString("badge-broken"));
        WebElement altered = row(deduction);
        assertThat(altered.getDomAttribute("class"), containsString("tampered"));
        assertThat(altered.findElement(By.cssSelector("td[data-label=Amount]")).getText(), is("0.10"));
        assertThat(altered.findElement(By.cssSelector("td[data-label=Hash]")).getText(), is("✗ does not match its hash"));
        assertThat("the entries around it still match", browser.all(By.cssSelector("td[data-label=Hash] .hash-ok")), hasSize(2));
    }

    @Test
    void aUserTokenSeesItsOwnBalanceLotsAndHistoryWithNoAdminActionOffered() {
        String user = ConsoleScene.newUser("grace");
        scene.grant(user, "3", "");
        scene.deduct(user, "1", "api_weather/forecast");

        browser.signIn(service.api().tokenFor(user));
        browser.waitForText(By.tagName("h1"), "Your account");
        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "2.00");
        assertThat(browser.chainState(), is("intact"));
        assertThat(types(), contains("deduction", "grant"));
        assertThat(browser.all(By.cssSelector("tr[data-lot-id]")), hasSize(1));
        assertThat(browser.all(By.id("grant-form")), empty());
        assertThat(browser.all(By.cssSelector("[data-action=refund]")), empty());
        assertThat(browser.find(By.id("who-text")).getText(), is("Signed in as " + user));
        assertThat(browser.find(By.linkText("My account")).isDisplayed(), is(true));
        assertThat(browser.all(By.linkText("Users")).stream().filter(WebElement::isDisplayed).toList(), empty());
    }

    @Test
    void theApiRefusesAUserTokenTheAdminPagesAndTheGrantEvenWhenAsked() {
        String user = ConsoleScene.newUser("heidi");
        String other = ConsoleScene.newUser("ivan");
        scene.grant(other, "1", "");
        browser.signIn(service.api().tokenFor(user));
        browser.waitForText(By.tagName("h1"), "Your account");

        browser.go("#/users/" + other);
        browser.waitForText(By.cssSelector("#account .problem"), "needs the credits:admin scope");
        Object grant = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/admin/billing/credits/grant', {method: 'POST', headers: {'Content-Type': 'application/json',"
                + " 'Idempotency-Key': crypto.randomUUID(), Authorization: 'Bearer ' + sessionStorage.getItem('credits.console.token')},"
                + " body: JSON.stringify({user_id: arguments[0], amount_usdc: '100.00'})})"
                + ".then(r => r.json().then(b => done(r.status + ' ' + b.code)));", other);

        assertThat(grant, is("403 FORBIDDEN"));
        assertThat(scene.account(other).text("balance_usdc"), is("1.00"));
    }

    @Test
    void theWebhooksPageShowsEachEndpointsDeliveriesFailedOnesFirst() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        HttpServer receiver = receiver(() -> failing.get() ? 500 : 204);
        HttpServer healthy = receiver(() -> 204);
        String healthyEndpoint = endpoint(healthy, "the email service");
        String flakyEndpoint = endpoint(receiver, "the notifications service");
        try {
            String user = ConsoleScene.newUser("judy");
            scene.topup(user, "10.00");
            awaitDelivery(flakyEndpoint, "failed"); // after the one retry of the schedule, a second later
            failing.set(false);
            scene.topup(user, "5.00");
            awaitDelivery(flakyEndpoint, "delivered");

            browser.signIn(scene.adminToken());
            browser.go("#/webhooks");
            WebElement flaky = browser.waitFor(By.cssSelector("section[data-endpoint-id='" + flakyEndpoint + "']"));
            List<WebElement> sections = browser.all(By.cssSelector("section[data-endpoint-id]"));
            assertThat("the endpoint with a failure comes first", sections.getFirst().getDomAttribute("data-endpoint-id"), is(flakyEndpoint));
            List<String> statuses = flaky.findElements(By.cssSelector("tr[data-status]")).stream()
                    .map(row -> row.getDomAttribute("data-status")).toList();
            assertThat(statuses, contains("failed", "delivered"));
            assertThat(flaky.findElement(By.cssSelector("tr[data-status=failed] td[data-label='Last answer']")).getText(), is("500"));
            assertThat(flaky.getText(), containsString("the notifications service"));
            assertThat(browser.find(By.cssSelector("section[data-endpoint-id='" + healthyEndpoint + "'] [data-counts]")).getText(),
                    is("0 failed, 0 pending, 2 delivered"));
        } finally {
            for (String endpoint : List.of(healthyEndpoint, flakyEndpoint)) {
                service.api().send(HttpRequest.newBuilder(service.api().uri("/api/admin/billing/webhooks/" + endpoint))
                        .header("Authorization", "Bearer " + scene.adminToken()).DELETE());
            }
            receiver.stop(0);
            healthy.stop(0);
        }
    }

    @Test
    void thePageRunsUnderItsContentSecurityPolicyWithoutOneConsoleError() {
        ApiClient.Response page = service.api().send(HttpRequest.newBuilder(java.net.URI.create(proxy.origin() + "/console")).GET());
        assertThat(page.header("Content-Security-Policy"), is(Console.CONTENT_SECURITY_POLICY));
        String user = ConsoleScene.newUser("kate");
        scene.grant(user, "2", ",\"expires_at\":\"2031-06-01T12:00:00Z\"");
        scene.deduct(user, "0.50", "api_weather/forecast");
        scene.hold(user, "0.25", "api_llm/chat", 300);
        browser.openSignedOut();
        browser.takeLog();

        browser.signIn(scene.adminToken());
        openAccountAsAdmin(user, "1.50");
        assertThat(browser.chainState(), is("intact"));
        row(scene.history(user).json().get("data").get(1).get("id").asText()).findElement(By.cssSelector("[data-action=refund]")).click();
        browser.waitFor(By.id("refund-form"));
        browser.go("#/webhooks");
        browser.waitForText(By.tagName("h1"), "Webhooks");
        browser.find(By.id("sign-out")).click();
        browser.signIn(service.api().tokenFor(user));
        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "1.50");
        assertThat(browser.chainState(), is("intact"));

        List<String> problems = browser.takeLog().stream().filter(ConsoleBrowserTest::isProblem).map(LogEntry::toString).toList();
        assertThat(problems, empty());
    }

    @Test
    void theBrowserLogTheCspTestReadsDoesSeeAnInlineStyleTheCspRefuses() {
        browser.openSignedOut();
        browser.takeLog();

        browser.script("document.querySelector('main').setAttribute('style', 'color: red');");

        browser.until(d -> browser.takeLog().stream().anyMatch(entry -> isProblem(entry)
                && entry.getMessage().contains("Content Security Policy")));
    }

    @Test
    void theBrowserHashesTheContractsReferenceEntryToItsDocumentedHashAndAddsAmountsExactly() {
        browser.openSignedOut();
        Object hash = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "import('/console/chain.js').then(c => c.sha256Hex(c.chainText(c.FIRST_PREVIOUS, {"
                + " id: '11111111-1111-1111-1111-111111111111', type: 'deduction', user_id: 'user_123', amount_usdc: '0.75',"
                + " balance_after_usdc: '99.25', created_at: '2024-01-15T10:30:00.000Z', reference: 'api_weather/forecast',"
                + " reason: null, deduction_id: null, hold_id: null, grant_id: null,"
                + " drawn_from: [{grant_id: '22222222-2222-2222-2222-222222222222', amount_usdc: '0.75'}]}))).then(done);");
        assertThat("docs/api.md, \"Verifying the hash chain\"", hash, is("6635846fb88a81041c2c43c6091abeb91bc53f53b62ff3300452e21227e679fd"));

        Object sums = browser.asyncScript("const done = arguments[arguments.length - 1];"
                + "import('/console/money.js').then(m => done([m.formatUsdc(m.parseUsdc('0.1') + m.parseUsdc('0.2')),"
                + " m.formatUsdc(m.parseUsdc('999999999.9999999') + m.parseUsdc('0.0000001')),"
                + " m.formatUsdc(m.parseUsdc('1.50') - m.sumUsdc(['0.50', '0.25'])), String(m.parseUsdc('01'))]));");
        assertThat(sums, is(List.of("0.30", "1000000000.00", "0.75", "null")));
    }

    // ---

    /** A new user granted {@code amount}, opened on the admin's page once it shows {@code balance}. */
    private static String openNewAccountAsAdmin(String name, String amount, String balance) {
        String user = ConsoleScene.newUser(name);
        scene.grant(user, amount, "");
        openAccountAsAdmin(user, balance);
        return user;
    }

    private static void openAccountAsAdmin(String user, String balance) {
        if (browser.all(By.id("who")).stream().noneMatch(WebElement::isDisplayed)
                || !browser.find(By.id("who-text")).getText().endsWith("(admin)")) {
            browser.signIn(scene.adminToken());
        }
        browser.go("#/users/" + user);
        browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), balance);
    }

    private static void assertMatches(String text, String pattern) {
        assertThat("\"" + text + "\" matches " + pattern, text.matches(pattern), is(true));
    }

    private static String figure(String name) {
        return browser.find(By.cssSelector("[data-figure=" + name + "]")).getText();
    }

    private static List<String> types() {
        browser.waitFor(By.cssSelector("tr[data-entry-id]"));
        return browser.all(By.cssSelector("tr[data-entry-id]")).stream().map(row -> row.getDomAttribute("data-type")).toList();
    }

    private static WebElement row(String entryId) {
        return browser.waitFor(By.cssSelector("tr[data-entry-id='" + entryId + "']"));
    }

    private static String reviewedKey() {
        browser.find(By.cssSelector("#grant-form button[type=submit]")).click();
        return browser.waitFor(By.cssSelector("#grant-review [data-confirm=key]")).getText();
    }

    private static void back() {
        browser.find(By.cssSelector("#grant-review [data-action=back]")).click();
        browser.waitFor(By.id("grant-amount_usdc"));
    }

    private static boolean isProblem(LogEntry entry) {
        return entry.getLevel().intValue() >= Level.WARNING.intValue() || entry.getMessage().contains("Content Security Policy");
    }

    private static HttpServer receiver(java.util.function.IntSupplier status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.getAsInt(), -1);
            exchange.close();
        });
        http.start();
        return http;
    }

    private static String endpoint(HttpServer receiver, String description) {
        ApiClient.Response created = service.api().post(scene.adminToken(), "/api/admin/billing/webhooks", null,
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\",\"events\":[\"topup.credited\"],"
                        + "\"description\":\"" + description + "\"}");
        assertThat(created.raw().body(), created.status(), is(201));
        return created.text("id");
    }

    /** Waits until the newest delivery to {@code endpoint} has {@code status}. */
    private static void awaitDelivery(String endpoint, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode newest = service.api().get(scene.adminToken(), "/api/admin/billing/webhooks/" + endpoint + "/deliveries")
                    .json().path("data").path(0);
            return newest.path("status").asText().equals(status);
        });
    }
}
