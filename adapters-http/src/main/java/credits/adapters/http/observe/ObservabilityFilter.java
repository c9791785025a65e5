package credits.adapters.http.observe;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.request.RequestId;
import io.helidon.http.HeaderNames;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Measures and logs every request once its response is sent: the {@code credits_http_requests} timer
 * and one {@link AccessLog} record. Registered first, so it also sees what later filters refuse, and
 * the error mapper's responses (sent after the filters have returned) through {@code whenSent}.
 *
 * <p>The route is Helidon's matched path template ({@code ServerRequest.matchingPattern()}, e.g.
 * {@code /api/admin/billing/credits/{user_id}}), or {@value #UNMATCHED} when no route matched (unknown
 * paths, CORS preflights). With the access logger off and no meter registry, a request costs one level check.
 */
public final class ObservabilityFilter implements Filter {

    public static final String UNMATCHED = "unmatched";

    private static final System.Logger LOGGER = System.getLogger(ObservabilityFilter.class.getName());

    private final RequestMetrics metrics;

    /** @param registry where to record request timings; empty measures nothing */
    public ObservabilityFilter(Optional<MeterRegistry> registry) {
        this.metrics = registry.map(RequestMetrics::new).orElse(null);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        boolean log = AccessLog.enabled();
        if (!log && metrics == null) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        response.whenSent(() -> completed(request, response, System.nanoTime() - start, log));
        chain.proceed();
    }

    private void completed(RoutingRequest request, RoutingResponse response, long nanos, boolean log) {
        try {
            String route = request.matchingPattern().orElse(UNMATCHED);
            String method = request.prologue().method().text();
            int status = response.status().code();
            if (metrics != null) {
                metrics.record(route, method, status, nanos);
            }
            if (log) {
                AccessLog.write(requestId(request, response), method, route, status, Math.round(nanos / 1_000.0) / 1_000.0,
                        request.context().get(Caller.class).map(caller -> caller.userId().value()).orElse(null),
                        bytes(response));
            }
        } catch (RuntimeException e) {
            // The response is already out: observing it must never turn into a failure.
            LOGGER.log(System.Logger.Level.DEBUG, "Could not record a finished request", e);
        }
    }

    private static String requestId(RoutingRequest request, RoutingResponse response) {
        return request.context().get(RequestId.class).map(RequestId::value)
                .or(() -> response.headers().first(HeaderNames.create(RequestId.HEADER)))
                .orElse(null);
    }

    /** What went on the wire for this response (status line and headers included), else its Content-Length. */
    private static Long bytes(RoutingResponse response) {
        long written = response.bytesWritten();
        if (written > 0) {
            return written;
        }
        OptionalLong length = response.headers().contentLength();
        return length.isPresent() ? length.getAsLong() : null;
    }
}
