package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The console's main pages at a desktop width and at 360 px (a small phone): nothing wider than the
 * screen, so no page scrolls sideways. Each page is also saved as a picture, into
 * {@code target/console-screenshots} — or, with {@code -Dconsole.screenshots.dir=…/docs/console}, where
 * the README's pictures live (taken by hand, then looked at, then committed).
 */
class ConsoleLayoutTest {

    private static final Path PICTURES = Path.of(System.getProperty("console.screenshots.dir", "target/console-screenshots"));
    private static final int PHONE = 360;
    private static final int DESKTOP = 1280;

    @RegisterExtension
    static final RunningService service = ConsoleScene.service();

    private static ConsoleBrowser browser;
    private static ConsoleScene scene;
    private static HttpServer receiver;

    @BeforeAll
    static void setTheScene() throws IOException {
        scene = new ConsoleScene(service.api());
        AtomicBoolean failing = new AtomicBoolean(true);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean flakyOne = exchange.getRequestURI().getPath().endsWith("/credits");
            exchange.sendResponseHeaders(flakyOne && failing.get() ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/";
        endpoint(hooks + "email", "email service");
        String flaky = endpoint(hooks + "credits", "notifications service");

        scene.topup("alice", "50.00");
        scene.grant("alice", "25.50", ",\"reason\":\"welcome credit\",\"expires_at\":\"2030-01-01T00:00:00Z\"");
        scene.grant("alice", "5.00", ",\"reason\":\"support goodwill\",\"category\":\"paid\",\"priority\":10");
        String first = scene.deduct("alice", "4.00", "api_weather/batch").text("id");
        scene.deduct("alice", "3.00", "api_maps/route");
        ApiClient.Response refund = service.api().post(scene.adminToken(), "/api/admin/billing/credits/refunds",
                UUID.randomUUID().toString(), "{\"deduction_id\":\"" + first + "\",\"amount_usdc\":\"0.50\",\"reason\":\"upstream timeout\"}");
        assertThat(refund.raw().body(), refund.status(), is(201));
        scene.hold("alice", "2.00", "api_llm/chat", 900);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> newestDelivery(flaky).path("status").asText().equals("failed"));
        failing.set(false);
        scene.topup("alice", "10.00");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> newestDelivery(flaky).path("status").asText().equals("delivered"));

        browser = ConsoleBrowser.start(service.api().uri("/").toString().replaceAll("/$", ""), "Europe/Berlin");
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theMainPagesFitADesktopAndA360PixelScreenWithoutScrollingSideways() {
        for (int width : List.of(DESKTOP, PHONE)) {
            browser.resize(width, 900);
            String suffix = width == PHONE ? "-360" : "";

            browser.openSignedOut();
            picture("sign-in" + suffix, width);

            browser.signIn(scene.adminToken());
            browser.go("#/users/alice");
            browser.waitForText(By.cssSelector("[data-figure=balance_usdc]"), "84.00");
            assertThat(browser.chainState(), is("intact"));
            browser.waitFor(By.cssSelector("tr[data-hold-id]"));
            picture("user" + suffix, width, width == DESKTOP);
            if (width == PHONE) {
                browser.script("document.getElementById('history-h').scrollIntoView()");
                picture("history" + suffix, width, false);
            }

            browser.find(By.id("grant-amount_usdc")).sendKeys("25.50");
            browser.setValue(By.id("grant-expires_at"), "2027-07-01T00:00");
            browser.find(By.id("grant-reason")).sendKeys("conference promotion");
            browser.find(By.cssSelector("#grant-form button[type=submit]")).click();
            browser.waitFor(By.cssSelector("#grant-review [data-action=confirm]"));
            browser.script("document.getElementById('grant-review').scrollIntoView()");
            picture("grant-confirmation" + suffix, width, false);
            browser.find(By.cssSelector("#grant-review [data-action=back]")).click();

            browser.go("#/webhooks");
            browser.waitFor(By.cssSelector("tr[data-status=failed]"));
            picture("webhooks" + suffix, width);
        }
    }

    /** Checks the page is no wider than the window, then saves it, as tall as it is (or the window only). */
    private static void picture(String name, int width) {
        picture(name, width, true);
    }

    private static void picture(String name, int width, boolean wholePage) {
        long scrollWidth = (Long) browser.script("return document.documentElement.scrollWidth");
        long viewport = (Long) browser.script("return document.documentElement.clientWidth");
        Object tooWide = browser.script("return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                + ".slice(-5).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40)).join(' | ')");
        assertThat(name + " scrolls sideways, these are too wide: " + tooWide, scrollWidth, lessThanOrEqualTo(viewport));
        if (wholePage) {
            long height = (Long) browser.script("return document.documentElement.scrollHeight");
            browser.resize(width, (int) Math.min(height + 140, 5000)); // the window's frame takes some of it
        }
        browser.screenshot(PICTURES.resolve("console-" + name + ".png"));
        browser.resize(width, 900);
    }

    private static String endpoint(String url, String description) {
        ApiClient.Response created = service.api().post(scene.adminToken(), "/api/admin/billing/webhooks", null,
                "{\"url\":\"" + url + "\",\"description\":\"" + description + "\"}");
        assertThat(created.raw().body(), created.status(), is(201));
        return created.text("id");
    }

    private static JsonNode newestDelivery(String endpoint) {
        return service.api().get(scene.adminToken(), "/api/admin/billing/webhooks/" + endpoint + "/deliveries").json().path("data").path(0);
    }
}
