package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import credits.adapters.http.auth.Caller;
import credits.adapters.http.json.JsonRequestBody;
import credits.adapters.http.request.IdempotencyKeyHeader;
import credits.domain.IdempotencyKey;
import io.helidon.webserver.http.ServerRequest;

import java.util.Set;

/**
 * What every money-moving POST establishes before its use case may run, checked in the contract's
 * order: 401, 429, 403, 415, 413, the idempotency key, then the query and body (400). A request refused
 * here has touched no use case, so it moved nothing and may be retried with the same key.
 */
record IdempotentPost(Caller caller, IdempotencyKey key, JsonNode body) {

    static IdempotentPost accept(ServerRequest request, Admission admission, String scope, String... alternatives) {
        Caller caller = admission.service(request, scope, alternatives);
        JsonRequestBody body = JsonRequestBody.read(request);
        IdempotencyKey key = IdempotencyKeyHeader.from(request.headers());
        QueryParameters.allowOnly(request.query(), Set.of());
        return new IdempotentPost(caller, key, body.json());
    }

    /**
     * As {@link #accept}, for a route whose body may be left out (a release): no body at all is the same request as
     * {@code {}}, and needs no content type. A body that is sent is held to the same rules as any other.
     */
    static IdempotentPost acceptOptionalBody(ServerRequest request, Admission admission, String scope) {
        if (request.content().hasEntity()) {
            return accept(request, admission, scope);
        }
        Caller caller = admission.service(request, scope);
        IdempotencyKey key = IdempotencyKeyHeader.from(request.headers());
        QueryParameters.allowOnly(request.query(), Set.of());
        return new IdempotentPost(caller, key, JsonNodeFactory.instance.objectNode());
    }
}
