package credits.adapters.http.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import credits.adapters.http.json.JsonResponses;
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
 * {@code CreditsApi.directHandlers()}). Helidon's message is never echoed.
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
        if (!"HEAD".equals(request.method())) {
            response.entity(body);
        }
        return response.build();
    }
}
