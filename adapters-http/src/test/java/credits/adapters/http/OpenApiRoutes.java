package credits.adapters.http;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes the HTTP adapter really registers, read by running each {@link HttpService#routing} against
 * a recording {@link HttpRules}, and their comparison with the routes an OpenAPI document describes.
 */
final class OpenApiRoutes {

    /** What a registration that matches every path is recorded as. */
    static final String ANY_PATH = "*";

    private OpenApiRoutes() {
    }

    /** One method on one path, the path in OpenAPI's template syntax. */
    record Route(String method, String path) implements Comparable<Route> {

        private static final Comparator<Route> ORDER = Comparator.comparing(Route::path).thenComparing(Route::method);

        @Override
        public int compareTo(Route other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * What the services registered.
     *
     * @param routes     every method-specific route, HEAD included
     * @param fallbacks  the paths of {@code any(...)} registrations: the 405 answers for other methods
     * @param unreadable registrations this recorder cannot turn into a method and a path template
     */
    record Recorded(SortedSet<Route> routes, SortedSet<String> fallbacks, List<String> unreadable) {
    }

    /** Runs every service's {@code routing} against a recorder. */
    static Recorded record(List<HttpService> services) {
        Recorded recorded = new Recorded(new TreeSet<>(), new TreeSet<>(), new ArrayList<>());
        new RecordingRules(recorded, "").register(services.toArray(HttpService[]::new));
        return recorded;
    }

    private static final Pattern HELIDON_PARAMETER = Pattern.compile("\\{\\+?([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?}");

    /**
     * A Helidon path template in OpenAPI's syntax: {@code {name}}, {@code {name:regex}} and {@code {+name}}
     * become {@code {name}}; anything else (unnamed {@code {}}, {@code *}, optional {@code [...]}) is
     * left as it is, so that it shows up as a difference instead of being guessed at.
     */
    static String openApiPath(String helidonTemplate) {
        Matcher matcher = HELIDON_PARAMETER.matcher(helidonTemplate);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement("{" + matcher.group(1) + "}"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * Routes that are served but not documented, and documented operations that are not served.
     * A served {@code HEAD} need not be documented (every GET route answers HEAD too, and the document
     * says so once); a documented {@code HEAD} must be served like any other operation.
     */
    record Comparison(SortedSet<Route> undocumented, SortedSet<Route> unrouted) {

        boolean matches() {
            return undocumented.isEmpty() && unrouted.isEmpty();
        }

        String describe() {
            return "routes the OpenAPI document does not describe: " + undocumented
                    + "; operations the OpenAPI document describes that are not routed: " + unrouted;
        }
    }

    static Comparison compare(Set<Route> routed, Set<Route> documented) {
        SortedSet<Route> undocumented = new TreeSet<>();
        for (Route route : routed) {
            if (!route.method().equals(Method.HEAD.text()) && !documented.contains(route)) {
                undocumented.add(route);
            }
        }
        SortedSet<Route> unrouted = new TreeSet<>();
        for (Route route : documented) {
            if (!routed.contains(route)) {
                unrouted.add(route);
            }
        }
        return new Comparison(undocumented, unrouted);
    }

    /**
     * An {@link HttpRules} that records instead of routing. Every shorthand Helidon offers is overridden so
     * the path template is seen as written; {@link #route(HttpRoute)} cannot be read back into a template
     * (Helidon compiles it to a regex), so it is recorded as unreadable and the routing test fails on it.
     */
    static final class RecordingRules implements HttpRules {

        private final Recorded recorded;
        private final String prefix;

        RecordingRules(Recorded recorded, String prefix) {
            this.recorded = recorded;
            this.prefix = prefix;
        }

        private HttpRules add(Method method, String path) {
            recorded.routes().add(new Route(method.text(), openApiPath(prefix + path)));
            return this;
        }

        private HttpRules addEverywhere(Method method) {
            recorded.routes().add(new Route(method.text(), prefix + ANY_PATH));
            return this;
        }

        private HttpRules unreadable(String what) {
            recorded.unreadable().add(what);
            return this;
        }

        @Override
        public HttpRules register(HttpService... services) {
            for (HttpService service : services) {
                service.routing(this);
            }
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            RecordingRules nested = new RecordingRules(recorded, prefix + pathPattern);
            for (HttpService service : services) {
                service.routing(nested);
            }
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            return unreadable("route(HttpRoute) " + route);
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            return add(method, pathPattern);
        }

        @Override
        public HttpRules route(Method method, PathMatcher pathMatcher, Handler handler) {
            return unreadable("route(" + method.text() + ", PathMatcher " + pathMatcher + ")");
        }

        @Override
        public HttpRules route(Predicate<Method> methodPredicate, PathMatcher pathMatcher, Handler handler) {
            return unreadable("route(Predicate<Method>, PathMatcher " + pathMatcher + ")");
        }

        @Override
        public HttpRules route(Method method, Handler handler) {
            return addEverywhere(method);
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Consumer<ServerRequest> handler) {
            return add(method, pathPattern);
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Function<ServerRequest, ?> handler) {
            return add(method, pathPattern);
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Supplier<?> handler) {
            return add(method, pathPattern);
        }

        @Override
        public HttpRules get(String pathPattern, Handler... handlers) {
            return add(Method.GET, pathPattern);
        }

        @Override
        public HttpRules get(Handler... handlers) {
            return addEverywhere(Method.GET);
        }

        @Override
        public HttpRules post(String pathPattern, Handler... handlers) {
            return add(Method.POST, pathPattern);
        }

        @Override
        public HttpRules post(Handler... handlers) {
            return addEverywhere(Method.POST);
        }

        @Override
        public HttpRules put(String pathPattern, Handler... handlers) {
            return add(Method.PUT, pathPattern);
        }

        @Override
        public HttpRules put(Handler... handlers) {
            return addEverywhere(Method.PUT);
        }

        @Override
        public HttpRules delete(String pathPattern, Handler... handlers) {
            return add(Method.DELETE, pathPattern);
        }

        @Override
        public HttpRules delete(Handler... handlers) {
            return addEverywhere(Method.DELETE);
        }

        @Override
        public HttpRules head(String pathPattern, Handler... handlers) {
            return add(Method.HEAD, pathPattern);
        }

        @Override
        public HttpRules head(Handler... handlers) {
            return addEverywhere(Method.HEAD);
        }

        @Override
        public HttpRules options(String pathPattern, Handler... handlers) {
            return add(Method.OPTIONS, pathPattern);
        }

        @Override
        public HttpRules options(Handler... handlers) {
            return addEverywhere(Method.OPTIONS);
        }

        @Override
        public HttpRules trace(String pathPattern, Handler... handlers) {
            return add(Method.TRACE, pathPattern);
        }

        @Override
        public HttpRules trace(Handler... handlers) {
            return addEverywhere(Method.TRACE);
        }

        @Override
        public HttpRules patch(String pathPattern, Handler... handlers) {
            return add(Method.PATCH, pathPattern);
        }

        @Override
        public HttpRules patch(Handler... handlers) {
            return addEverywhere(Method.PATCH);
        }

        @Override
        public HttpRules any(String pathPattern, Handler... handlers) {
            recorded.fallbacks().add(openApiPath(prefix + pathPattern));
            return this;
        }

        @Override
        public HttpRules any(Handler... handlers) {
            recorded.fallbacks().add(prefix + ANY_PATH);
            return this;
        }
    }
}
