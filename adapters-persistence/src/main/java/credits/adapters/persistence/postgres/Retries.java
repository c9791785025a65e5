package credits.adapters.persistence.postgres;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import credits.domain.StorageUnavailableException;

/**
 * Runs an operation again after a failure that left nothing behind, a bounded number of times.
 * Which failures those are is {@link SqlFailures}' reading of the SQLSTATE.
 */
final class Retries {

    // Transient failures (serialization, deadlock) leave nothing behind; a few quick retries
    // absorb them without making a caller wait long.
    static final int MAX_ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 10;

    /** Which failures an operation may simply be run again after. */
    enum Repeat {
        /** Serialization failures and deadlocks: the engine rolled the attempt back, nothing was written. */
        ONLY_WHEN_ROLLED_BACK,
        /** Also a connection that broke under the statement: only for reads and idempotent writes. */
        ALSO_ON_BROKEN_CONNECTION
    }

    private Retries() {
    }

    /**
     * Runs the operation, again after a failure {@code repeat} allows. When conflicts persist the
     * database is too contended to answer now: {@link StorageUnavailableException} (503 with
     * Retry-After), since nothing of the attempts was committed and a retry with the same key is safe.
     */
    static <T> T retrying(Repeat repeat, Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                boolean rolledBack = SqlFailures.isTransient(e);
                boolean worthRepeating = rolledBack
                        || (repeat == Repeat.ALSO_ON_BROKEN_CONNECTION && SqlFailures.isBrokenConnection(e));
                if (!worthRepeating) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw rolledBack ? new StorageUnavailableException("the database kept refusing the transaction ("
                            + SqlFailures.sqlState(e).orElse("?") + ") after " + MAX_ATTEMPTS + " attempts", e) : e;
                }
                pauseBefore(attempt + 1, e);
            }
        }
    }

    // Jittered, growing pauses so that two victims of the same conflict do not collide again.
    private static void pauseBefore(int attempt, RuntimeException failure) {
        long millis = BACKOFF_MILLIS * (attempt - 1) + ThreadLocalRandom.current().nextLong(BACKOFF_MILLIS);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
