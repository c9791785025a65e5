package credits.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The console's files as HTTP serves them, and what the files may not contain: the headers that make
 * the browser enforce the console's rules, and the rules the CSP could not enforce on its own.
 */
class ConsoleHeadersTest {

    /** Every file of the console; a new one is added here (and the test below reads it). */
    static final List<String> FILES = List.of("index.html", "console.css", "app.js", "account.js", "actions.js", "api.js",
            "chain.js", "dom.js", "forms.js", "money.js", "problems.js", "session.js", "signin.js", "webhooks.js");

    @RegisterExtension
    static final RunningService service = RunningService.with(TestSettings::memory);

    @Test
    void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicy() {
        ApiClient.Response page = get("/console");

        assertThat(page.status(), is(200));
        assertThat(page.header("Content-Type"), is("text/html; charset=utf-8"));
        assertThat(page.header("Content-Security-Policy"), is("default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"));
        assertThat(page.header("X-Content-Type-Options"), is("nosniff"));
        assertThat(page.header("Referrer-Policy"), is("no-referrer"));
        assertThat(page.header("X-Frame-Options"), is("DENY"));
        assertThat(page.header("Cache-Control"), is("no-store"));
        assertThat(page.raw().body(), containsString("<script type=\"module\" src=\"/console/app.js\"></script>"));
        assertThat("the same page at /console/", get("/console/").raw().body(), is(page.raw().body()));
    }

    @Test
    void scriptsAndStylesAreServedWithTheirOwnContentTypesAndTheSameHeaders() {
        ApiClient.Response script = get("/console/app.js");
        ApiClient.Response style = get("/console/console.css");

        assertThat(script.header("Content-Type"), is("text/javascript; charset=utf-8"));
        assertThat(style.header("Content-Type"), is("text/css; charset=utf-8"));
        assertThat(script.header("Content-Security-Policy"), is(Console.CONTENT_SECURITY_POLICY));
        assertThat(style.header("X-Content-Type-Options"), is("nosniff"));
    }

    @Test
    void anUnknownConsoleFileIsTheApisNotFoundProblemWithTheConsolesHeaders() {
        ApiClient.Response missing = get("/console/no-such-module.js");

        assertThat(missing.status(), is(404));
        assertThat(missing.header("Content-Type"), is("application/problem+json"));
        assertThat(missing.text("code"), is("NOT_FOUND"));
        assertThat(missing.header("Content-Security-Policy"), is(Console.CONTENT_SECURITY_POLICY));
        assertThat("nothing above the console's folder", get("/console/%2e%2e/application.yaml").status(), is(404));
    }

    @Test
    void aConditionalGetOfAnUnchangedConsoleFileIsAnsweredNotModifiedNotAsAnError() {
        ApiClient.Response first = get("/console/app.js");
        HttpRequest.Builder conditional = HttpRequest.newBuilder(service.api().uri("/console/app.js")).GET()
                .header("If-Modified-Since", "Sat, 01 Jan 2050 00:00:00 GMT");
        if (first.header("ETag") != null) {
            conditional.header("If-None-Match", first.header("ETag"));
        }

        ApiClient.Response again = service.api().send(conditional);

        assertThat(again.raw().body(), again.status(), is(304));
        assertThat(again.header("Content-Security-Policy"), is(Console.CONTENT_SECURITY_POLICY));
    }

    @Test
    void theConsoleAddsNoApiRouteAndNothingButItsFiles() {
        ApiClient.Response post = service.api().send(HttpRequest.newBuilder(service.api().uri("/console"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        String openApi = get("/openapi").raw().body();

        assertThat(post.status(), is(404));
        assertThat(openApi, not(containsString("/console")));
    }

    @Test
    void noConsoleFileHasInlineScriptInlineStyleOrAnHandlerAttribute() throws IOException {
        Pattern inline = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|\\sstyle\\s*=|\\son[a-z]+\\s*=|javascript:|<style",
                Pattern.CASE_INSENSITIVE);
        Pattern dynamic = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|eval\\(|new Function|setAttribute\\('style'");
        for (String file : FILES) {
            String text = resource(file);
            assertThat(file, inline.matcher(file.endsWith(".html") ? text : "").results().toList(), empty());
            assertThat(file, dynamic.matcher(text).results().map(r -> r.group()).toList(), empty());
        }
    }

    @Test
    void noConsoleScriptTurnsAnAmountIntoFloatingPoint() throws IOException {
        Pattern floating = Pattern.compile("parseFloat|parseInt|Number\\(|toFixed|toPrecision|Math\\.round|\\+\\s*[a-z_.]*usdc",
                Pattern.CASE_INSENSITIVE);
        for (String file : FILES) {
            if (file.endsWith(".js")) {
                assertThat(file, floating.matcher(resource(file)).results().map(r -> r.group()).toList(), empty());
            }
        }
        assertThat(get("/console/money.js").raw().body(), containsString("BigInt"));
    }

    @Test
    void everyFileTheConsoleShipsIsListedAndServed() throws Exception {
        try (var files = Files.list(Path.of(ConsoleHeadersTest.class.getClassLoader().getResource("console").toURI()))) {
            assertThat("the checks above read every file", files.map(path -> path.getFileName().toString()).sorted().toList(),
                    is(FILES.stream().sorted().toList()));
        }
        for (String file : FILES) {
            assertThat(file, get("/console/" + file).status(), is(200));
        }
    }

    private static ApiClient.Response get(String path) {
        return service.api().send(HttpRequest.newBuilder(service.api().uri(path)).GET());
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = ConsoleHeadersTest.class.getClassLoader().getResourceAsStream("console/" + file)) {
            assertThat(file, in, notNullValue());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
