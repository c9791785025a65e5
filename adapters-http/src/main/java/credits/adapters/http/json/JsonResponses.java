package credits.adapters.http.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.UncheckedIOException;

/**
 * Writes JSON bodies with one shared {@link ObjectMapper}. Every response body of the API goes through
 * here so that HEAD is answered correctly in one place: Helidon 4.5 writes whatever entity the handler
 * sends, also for HEAD, which would corrupt a kept-alive connection.
 */
public final class JsonResponses {

    public static final String APPLICATION_JSON = "application/json";
    public static final String APPLICATION_PROBLEM_JSON = "application/problem+json";

    // Thread-safe once configured; records carry their wire names in @JsonProperty. Blackbird reads
    // record components through generated lambdas rather than reflective calls on every response.
    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new BlackbirdModule()).build();

    private JsonResponses() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Sends {@code body} as JSON with the given status and content type (no body for HEAD, same headers). */
    public static void send(ServerRequest request, ServerResponse response, Status status, String contentType, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        if (Method.HEAD.equals(request.prologue().method())) {
            response.header(HeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
            response.send();
        } else {
            response.send(bytes);
        }
    }
}
