package credits.adapters.http.request;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;

/**
 * Gives every request its {@link RequestId}: in the response header before anything else runs (so
 * error responses carry it too: Helidon keeps headers when an error handler takes over), in the
 * request context for the error mapper, and in the MDC for log lines written while the request runs.
 */
public final class RequestIdFilter implements Filter {

    static final HeaderName HEADER = HeaderNames.create(RequestId.HEADER);

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        RequestId id = RequestId.acceptOrGenerate(request.headers().all(HEADER, List::of));
        request.context().register(id);
        response.header(HEADER, id.value());
        HelidonMdc.set(RequestId.MDC_KEY, id.value());
        try {
            chain.proceed();
        } finally {
            HelidonMdc.remove(RequestId.MDC_KEY);
        }
    }
}
