package credits.bootstrap;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.util.Map;

/**
 * The console for finance and support at {@value #PATH}: the HTML, CSS and JavaScript modules under
 * {@code console/} in this module's resources, served by Helidon's static content handler. It is a
 * client of the public API like any other (the page calls {@code /api/…} with the token pasted into
 * it) and adds no route of its own besides its files; they need no token, and say nothing secret.
 *
 * <p>Every answer under {@value #PATH} carries a Content-Security-Policy that lets the page run only
 * its own files and talk only to this origin: no inline script or style, nothing from elsewhere, no
 * framing, no form posted anywhere. {@code no-store}, so a browser never holds a stale console (or
 * sends the conditional requests the API's error mapping would answer as malformed).
 */
final class Console {

    static final String PATH = "/console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String RESOURCES = "console";
    private static final String PAGE = "index.html";

    private Console() {
    }

    /** Adds {@value #PATH} to {@code routing}; after the API's routes, so it costs the API's requests nothing. */
    static void register(HttpRouting.Builder routing) {
        routing.register(PATH, new SecurityHeaders(), StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(RESOURCES)
                // "/console" itself is the page; the modules are named absolutely (/console/app.js), so no redirect is needed.
                .pathMapper(path -> path.isEmpty() || path.equals("/") ? PAGE : path)
                .contentTypes(Map.of(
                        "html", MediaTypes.create("text/html; charset=utf-8"),
                        "js", MediaTypes.create("text/javascript; charset=utf-8"),
                        "css", MediaTypes.create("text/css; charset=utf-8")))
                .build()));
    }

    /** Set before the file is looked up, so a 404 under {@value #PATH} carries them too. */
    private static final class SecurityHeaders implements HttpService {

        @Override
        public void routing(HttpRules rules) {
            rules.any(SecurityHeaders::add);
        }

        private static void add(ServerRequest request, ServerResponse response) {
            response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.header("X-Content-Type-Options", "nosniff");
            response.header("Referrer-Policy", "no-referrer");
            response.header("X-Frame-Options", "DENY");
            response.header("Cache-Control", "no-store");
            response.next();
        }
    }
}
