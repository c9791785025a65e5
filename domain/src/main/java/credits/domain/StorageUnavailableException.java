package credits.domain;

/**
 * Storage cannot answer now (unreachable, timed out, shutting down). Nothing was changed by the
 * failed call, or its effect is unknown and a retry with the same idempotency key settles it; the
 * caller should retry later. The message is for logs, never for API clients.
 */
public final class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
