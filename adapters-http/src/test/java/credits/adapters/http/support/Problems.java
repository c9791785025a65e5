package credits.adapters.http.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;

import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Reads responses: the problem+json assertions every error test makes. */
public final class Problems {

    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** Asserts an RFC 9457 body with the contract's members and the request id of the response header; returns the body. */
    public static JsonNode assertProblem(ClientResponseTyped<String> response, int status, String code) {
        assertThat(response.entity(), response.status().code(), is(status));
        assertThat(response.headers().contentType().map(Object::toString).orElse(""), is("application/problem+json"));
        JsonNode body = json(response.entity());
        assertThat(body.path("type").asText(), is("about:blank"));
        assertThat(body.path("status").asInt(), is(status));
        assertThat(body.path("code").asText(), is(code));
        assertThat(body.path("title").asText().isEmpty(), is(false));
        assertThat(body.path("detail").asText().isEmpty(), is(false));
        Optional<String> requestId = response.headers().first(X_REQUEST_ID);
        assertThat("X-Request-Id header", requestId.isPresent(), is(true));
        assertThat(body.path("request_id").asText(), is(requestId.get()));
        return body;
    }
}
