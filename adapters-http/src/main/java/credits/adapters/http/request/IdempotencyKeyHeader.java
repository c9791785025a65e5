package credits.adapters.http.request;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldError;
import credits.domain.IdempotencyKey;
import credits.domain.InvalidValueException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.util.List;

/** The {@code Idempotency-Key} every money-moving POST must carry; its rules are {@link IdempotencyKey}'s. */
public final class IdempotencyKeyHeader {

    public static final String NAME = "Idempotency-Key";
    private static final HeaderName HEADER = HeaderNames.create(NAME);

    private IdempotencyKeyHeader() {
    }

    /**
     * @throws ApiException 400 IDEMPOTENCY_KEY_REQUIRED when absent or empty, 400 VALIDATION_ERROR naming
     *                      {@code Idempotency-Key} when sent twice or not a valid key
     */
    public static IdempotencyKey from(Headers headers) {
        List<String> values = headers.all(HEADER, List::of);
        if (values.isEmpty() || (values.size() == 1 && values.getFirst().isEmpty())) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
                    "Send an Idempotency-Key header (1-255 printable characters) so that a retry cannot move money twice");
        }
        if (values.size() > 1) {
            throw invalid("must be sent exactly once");
        }
        try {
            return new IdempotencyKey(values.getFirst());
        } catch (InvalidValueException e) {
            throw invalid(e.getMessage());
        }
    }

    private static ApiException invalid(String message) {
        return ApiException.validation(List.of(new FieldError(NAME, message)));
    }
}
