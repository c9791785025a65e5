package credits.adapters.http.error;

import java.util.Objects;

/** One entry of a validation problem's {@code errors}: which input was refused, and why. */
public record FieldError(String field, String message) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
