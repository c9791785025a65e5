package credits.adapters.http.error;

import credits.domain.InvalidValueException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects every refused input of one request, so a client fixes them all in one round trip instead
 * of discovering them one 400 at a time.
 */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    /** The parsed value, or empty with the domain's (client-safe) message recorded under {@code field}. */
    public <T> Optional<T> check(String field, Supplier<T> parse) {
        try {
            return Optional.of(parse.get());
        } catch (InvalidValueException e) {
            add(field, e.getMessage());
            return Optional.empty();
        }
    }

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** @throws ApiException 400 VALIDATION_ERROR naming every input recorded so far */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}
