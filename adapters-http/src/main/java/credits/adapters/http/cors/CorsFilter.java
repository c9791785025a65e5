package credits.adapters.http.cors;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * CORS for the billing frontend, for an allow-list of exact origins (installed only when the list is not
 * empty: without it, no response carries a CORS header).
 *
 * <ul>
 *     <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is
 *     answered here, before authentication and routing: 204 with the allowed origin, methods, headers and
 *     max age when the origin, method and headers are all allowed; otherwise 403 FORBIDDEN problem+json
 *     without any CORS header, which the browser reports as a failed preflight.</li>
 *     <li>Any other request from an allowed origin gets {@code Access-Control-Allow-Origin} (the origin
 *     itself, never {@code *}: requests carry {@code Authorization}) and the exposed headers, errors
 *     included, so the frontend can read problem bodies, {@code Retry-After} and the request id.</li>
 *     <li>A request from another origin is served as if CORS did not exist: the browser will not let the
 *     page read it, and non-browser clients are not affected.</li>
 * </ul>
 * No {@code Access-Control-Allow-Credentials}: the API uses bearer tokens, not cookies.
 *
 * <p>Helidon's {@code helidon-webserver-cors} is deliberately not used: in 4.5 it is a server feature that
 * installs itself from the classpath allowing every origin unless configured otherwise.
 */
public final class CorsFilter implements Filter {

    static final String ALLOW_METHODS = "GET, HEAD, POST";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
    static final String EXPOSE_HEADERS = "X-Request-Id, Idempotent-Replayed, Retry-After";
    /** Seconds a browser may cache a preflight answer (Chromium caps it at 7200). */
    static final String MAX_AGE = "3600";

    private static final Set<String> ALLOWED_METHODS = Set.of("GET", "HEAD", "POST");
    private static final Set<String> ALLOWED_HEADERS = caseInsensitive(List.of(ALLOW_HEADERS.split(", ")));

    private final Set<String> origins;

    /** @param origins normalized origins ({@code scheme://host[:port]}, lower case), see {@code ApiSettings} */
    public CorsFilter(List<String> origins) {
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("CORS needs at least one allowed origin");
        }
        this.origins = Set.copyOf(origins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        // Responses differ by Origin: caches must not serve one origin's answer to another.
        response.header(HeaderNames.VARY, HeaderNames.ORIGIN_NAME);
        Headers headers = request.headers();
        List<String> origin = headers.all(HeaderNames.ORIGIN, List::of);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        boolean allowed = origin.size() == 1 && origins.contains(origin.getFirst().toLowerCase(Locale.ROOT));
        if (Method.OPTIONS.equals(request.prologue().method()) && headers.contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            preflight(headers, response, allowed ? origin.getFirst() : null);
            return;
        }
        if (allowed) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.getFirst());
            response.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        }
        chain.proceed();
    }

    private static void preflight(Headers headers, RoutingResponse response, String allowedOrigin) {
        if (allowedOrigin == null) {
            throw refused("This origin is not allowed to call the API");
        }
        String method = headers.get(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD).get();
        if (!ALLOWED_METHODS.contains(method)) {
            throw refused("Allowed methods: " + ALLOW_METHODS);
        }
        if (!ALLOWED_HEADERS.containsAll(requestedHeaders(headers))) {
            throw refused("Allowed request headers: " + ALLOW_HEADERS);
        }
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        response.header(HeaderNames.VARY, HeaderNames.ORIGIN_NAME + ", " + HeaderNames.ACCESS_CONTROL_REQUEST_METHOD_NAME
                + ", " + HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS_NAME);
        response.status(Status.NO_CONTENT_204).send();
    }

    private static Set<String> requestedHeaders(Headers headers) {
        Set<String> requested = caseInsensitive(List.of());
        for (String value : headers.all(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, List::of)) {
            for (String name : value.split(",")) {
                String trimmed = name.strip();
                if (!trimmed.isEmpty()) {
                    requested.add(trimmed);
                }
            }
        }
        return requested;
    }

    private static Set<String> caseInsensitive(List<String> values) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(values);
        return set;
    }

    private static ApiException refused(String detail) {
        return new ApiException(ErrorCode.FORBIDDEN, "CORS preflight refused. " + detail);
    }
}
