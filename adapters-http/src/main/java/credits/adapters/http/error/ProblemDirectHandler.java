package credits.adapters.http.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import credits.adapters.http.json.JsonResponses;
import credits.adapters.http.observe.AccessLog;
import credits.adapters.http.observe.ObservabilityFilter;
import credits.adapters.http.request.RequestId;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

import java.util.List;

/**
 * Problem+json for what Helidon refuses before routing starts (an unparseable request line or query,
 * oversized headers, …): filters and error handlers never see those requests, so without this they
 * would get an empty 400 without a request id. Installed on the server, not the routing (see
 * {@code CreditsApi.directHandlers()}). Helidon's message is never echoed. They get an access record too
 * (route {@code unmatched}, no latency): malformed requests are what an operator looks for.
 */
public final class ProblemDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        RequestId requestId = RequestId.acceptOrGenerate(request.headers().all(HeaderNames.create(RequestId.HEADER), List::of));
        ApiException problem = ProblemErrorHandler.forHelidonStatus(defaultStatus.code());
        byte[] body;
        try {
            body = JsonResponses.mapper().writeValueAsBytes(ProblemErrorHandler.body(problem, requestId));
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        TransportResponse.Builder response = TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, JsonResponses.APPLICATION_PROBLEM_JSON)
                .header(HeaderNames.create(RequestId.HEADER), requestId.value())
                .keepAlive(eventType.keepAlive());
        // A HEAD response has no body, even for errors.
        boolean withBody = !"HEAD".equals(request.method());
        if (withBody) {
            response.entity(body);
        }
        if (AccessLog.enabled()) {
            // No route and no caller: the request never reached routing. Latency is not known here.
            AccessLog.write(requestId.value(), loggableMethod(request.method()), ObservabilityFilter.UNMATCHED,
                    problem.status(), null, null, withBody ? (long) body.length : 0L);
        }
        return response.build();
    }

    /** The method as sent when it looks like one: this request failed parsing, so it may be anything. */
    private static String loggableMethod(String method) {
        if (method == null || method.isEmpty() || method.length() > 16) {
            return "OTHER";
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c < 'A' || c > 'Z') {
                return "OTHER";
            }
        }
        return method;
    }
}
