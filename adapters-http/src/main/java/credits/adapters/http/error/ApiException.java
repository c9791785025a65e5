package credits.adapters.http.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request the API refuses with a known status and code. Handlers and filters throw it;
 * {@link ProblemErrorHandler} turns it into problem+json, so adding an error to an endpoint is one
 * {@code throw}. The detail is shown to the client as it is: never put internal state in it.
 */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final String detail;
    private final List<FieldError> fieldErrors;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of(), Map.of());
    }

    public ApiException(ErrorCode code, String detail, List<FieldError> fieldErrors) {
        this(code, detail, fieldErrors, Map.of());
    }

    private ApiException(ErrorCode code, String detail, List<FieldError> fieldErrors, Map<String, String> headers) {
        // A refusal is an expected outcome, not a bug: no stack trace to fill (they are thrown per request).
        super(code.name(), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.fieldErrors = List.copyOf(fieldErrors);
        this.headers = Map.copyOf(headers);
    }

    /** 400 VALIDATION_ERROR naming the refused inputs. */
    public static ApiException validation(List<FieldError> fieldErrors) {
        String detail = fieldErrors.size() == 1
                ? "Invalid value for " + fieldErrors.getFirst().field()
                : "The request has " + fieldErrors.size() + " invalid values";
        return new ApiException(ErrorCode.VALIDATION_ERROR, detail, fieldErrors);
    }

    /** A copy that also sets a response header (e.g. {@code Retry-After}, {@code Allow}). */
    public ApiException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiException(code, detail, fieldErrors, more);
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public String detail() {
        return detail;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
