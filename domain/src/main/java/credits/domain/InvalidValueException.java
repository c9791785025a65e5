package credits.domain;

/**
 * A value from outside (an amount, a user id) that the domain refuses. The message is written
 * for the API client: it never carries internal detail, so adapters may show it as it is.
 */
public final class InvalidValueException extends IllegalArgumentException {

    public InvalidValueException(String message) {
        super(message);
    }
}
