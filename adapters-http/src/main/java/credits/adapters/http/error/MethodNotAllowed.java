package credits.adapters.http.error;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The last route of a known path: any other method gets 405 with the {@code Allow} header listing the right ones. */
public final class MethodNotAllowed {

    private MethodNotAllowed() {
    }

    public static Handler allowing(Method... allowed) {
        String allow = Arrays.stream(allowed).map(Method::text).collect(Collectors.joining(", "));
        ApiException refusal = new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Allowed methods on this path: " + allow)
                .withHeader(HeaderNames.ALLOW_NAME, allow);
        return (request, response) -> {
            throw refusal;
        };
    }
}
