package credits.adapters.http.support;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.testing.junit5.DirectClient;

import java.nio.charset.StandardCharsets;

/** The requests the ledger tests send, spelled once: a {@code null} header is left out. */
public final class Requests {

    public static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    public static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");
    public static final String JSON = "application/json";

    private Requests() {
    }

    /** A JSON POST with {@code Authorization} and {@code Idempotency-Key}. */
    public static ClientResponseTyped<String> post(DirectClient client, String path, String authorization, String key, String body) {
        return post(client, path, authorization, key, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    public static ClientResponseTyped<String> post(DirectClient client, String path, String authorization, String key,
                                                   String contentType, byte[] body) {
        Http1ClientRequest request = client.post(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        if (key != null) {
            request.header(IDEMPOTENCY_KEY, key);
        }
        if (contentType != null) {
            request.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        return request.submit(body, String.class);
    }

    /** A JSON PUT with {@code Authorization} (moves no money, so no key). */
    public static ClientResponseTyped<String> put(DirectClient client, String path, String authorization, String body) {
        Http1ClientRequest request = client.put(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        request.header(HeaderNames.CONTENT_TYPE, JSON);
        return request.submit(body.getBytes(StandardCharsets.UTF_8), String.class);
    }

    /** A DELETE with {@code Authorization}. */
    public static ClientResponseTyped<String> delete(DirectClient client, String path, String authorization) {
        Http1ClientRequest request = client.delete(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return request.request(String.class);
    }

    /** A GET with query parameters given as name, value, name, value, … (this client would encode a "?" in the path). */
    public static ClientResponseTyped<String> get(DirectClient client, String path, String authorization, String... query) {
        Http1ClientRequest request = client.get(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return request.request(String.class);
    }

    /** {@code {"user_id": …, "amount_usdc": …}} */
    public static String grantBody(String userId, String amount) {
        return "{\"user_id\":\"" + userId + "\",\"amount_usdc\":\"" + amount + "\"}";
    }

    /** {@code {"user_id": …, "amount_usdc": …}} */
    public static String deductionBody(String userId, String amount) {
        return grantBody(userId, amount);
    }
}
