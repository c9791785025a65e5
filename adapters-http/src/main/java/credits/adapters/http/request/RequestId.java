package credits.adapters.http.request;

import io.helidon.webserver.http.ServerRequest;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id echoed in {@code X-Request-Id}, in error bodies and in log lines: the caller's own when it is
 * 1–128 characters of {@code [A-Za-z0-9._-]} (so it is safe to log and to put back in a header),
 * otherwise a generated {@code req_} + 32 hex digits.
 */
public record RequestId(String value) {

    public static final String HEADER = "X-Request-Id";
    /** The MDC key log formats use ({@code %X{request_id}}). */
    public static final String MDC_KEY = "request_id";

    static final int MAX_LENGTH = 128;

    /** The caller's id when exactly one well-formed value was sent, else a fresh one. */
    public static RequestId acceptOrGenerate(List<String> headerValues) {
        if (headerValues.size() == 1 && isWellFormed(headerValues.getFirst())) {
            return new RequestId(headerValues.getFirst());
        }
        return generate();
    }

    public static RequestId generate() {
        // Unguessability is not needed, only uniqueness: ThreadLocalRandom avoids SecureRandom's contention.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new RequestId("req_" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong()));
    }

    /** The id the filter gave this request; a fresh one if the request never passed the filter. */
    public static RequestId of(ServerRequest request) {
        return request.context().get(RequestId.class).orElseGet(RequestId::generate);
    }

    static boolean isWellFormed(String value) {
        int length = value.length();
        if (length < 1 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
