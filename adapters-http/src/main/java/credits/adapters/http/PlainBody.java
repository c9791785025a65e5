package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.JsonRequestBody;
import io.helidon.webserver.http.ServerRequest;

import java.util.Set;

/**
 * The body of a request that moves no money (a threshold, a webhook endpoint), after the caller was admitted:
 * the contract's order without the idempotency key, so 415, 413, then the query and the body (400).
 */
final class PlainBody {

    private PlainBody() {
    }

    /** @throws credits.adapters.http.error.ApiException 415, 413, or 400 for a query parameter or a body that is not JSON */
    static JsonNode read(ServerRequest request) {
        JsonRequestBody body = JsonRequestBody.read(request);
        QueryParameters.allowOnly(request.query(), Set.of());
        return body.json();
    }
}
