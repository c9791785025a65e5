package credits.adapters.persistence.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Predicate;

import credits.domain.StorageUnavailableException;

/**
 * Reads what went wrong in the database from an exception. Helidon DbClient wraps the driver's
 * {@link SQLException} (in {@code DbClientException}, sometimes more than once), so the SQLSTATE is
 * found by walking the cause chain; the standard codes mean the same on PostgreSQL-compatible engines.
 */
final class SqlFailures {

    /** unique_violation: here, almost always an idempotency key that is already in the ledger. */
    static final String UNIQUE_VIOLATION = "23505";
    /** numeric_value_out_of_range: a bigint sum past its maximum. */
    static final String NUMERIC_OUT_OF_RANGE = "22003";
    /** serialization_failure: the engine asks the client to run the transaction again. */
    static final String SERIALIZATION_FAILURE = "40001";
    /** deadlock_detected: this transaction was chosen as the victim and rolled back. */
    static final String DEADLOCK_DETECTED = "40P01";
    /** query_canceled: here, the session's statement_timeout stopped a statement. */
    static final String QUERY_CANCELED = "57014";
    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server is stopping or starting. */
    static final String ADMIN_SHUTDOWN = "57P01";
    static final String CRASH_SHUTDOWN = "57P02";
    static final String CANNOT_CONNECT_NOW = "57P03";
    /** Class 08, connection exception: the connection could not be made or was lost. */
    static final String CONNECTION_EXCEPTION_CLASS = "08";

    /** Why the database could not answer; the wording is for logs and never includes SQL or its parameters. */
    enum Unavailability {
        /** No pooled connection could be had within the pool's connection timeout. */
        NO_CONNECTION("no database connection within the pool's connection timeout"),
        /** The connection broke or the server is shutting down: whether a write committed is unknown. */
        CONNECTION_LOST("the database connection failed or the server is shutting down"),
        /** The statement ran past statement_timeout and the server cancelled it. */
        STATEMENT_TIMEOUT("the statement ran past the statement timeout");

        private final String description;

        Unavailability(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private SqlFailures() {
    }

    /** The SQLSTATE of the first {@link SQLException} in the cause chain that has one. */
    static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    static boolean is(Throwable failure, String sqlState) {
        return sqlState(failure).filter(sqlState::equals).isPresent();
    }

    /**
     * Whether the failure means "the database cannot answer now" rather than "this request is wrong":
     * a pool timeout (HikariCP's {@link SQLTransientConnectionException}), a connection exception
     * (class 08), the server shutting down or starting (57P01-57P03), or a statement timeout (57014).
     */
    static Optional<Unavailability> unavailability(Throwable failure) {
        if (anyInChain(failure, SQLTransientConnectionException.class::isInstance)
                || anyInChain(failure, StorageUnavailableException.class::isInstance)) {
            return Optional.of(Unavailability.NO_CONNECTION);
        }
        if (anyInChain(failure, SqlFailures::isConnectionState)) {
            return Optional.of(Unavailability.CONNECTION_LOST);
        }
        if (anyInChain(failure, cause -> hasState(cause, QUERY_CANCELED))) {
            return Optional.of(Unavailability.STATEMENT_TIMEOUT);
        }
        return Optional.empty();
    }

    /**
     * A failure as {@link StorageUnavailableException} when it is one of {@link #unavailability};
     * empty otherwise. The message names the operation and the SQLSTATE, nothing the caller sent.
     */
    static Optional<StorageUnavailableException> asUnavailable(String operation, RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StorageUnavailableException unavailable) { // from the pool
                return Optional.of(new StorageUnavailableException("Database unavailable during " + operation + ": "
                        + unavailable.getMessage(), unavailable));
            }
        }
        return unavailability(failure).map(why -> new StorageUnavailableException(
                "Database unavailable during " + operation + ": " + why.description()
                        + sqlState(failure).map(state -> " (SQLSTATE " + state + ")").orElse(""), failure));
    }

    /**
     * A connection that broke under a statement, as opposed to no connection at all: a read may run
     * again on another connection, since the pool evicts the broken one.
     */
    static boolean isBrokenConnection(Throwable failure) {
        return unavailability(failure).filter(why -> why == Unavailability.CONNECTION_LOST).isPresent();
    }

    private static boolean isConnectionState(Throwable cause) {
        if (!(cause instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        String state = sql.getSQLState();
        return state.startsWith(CONNECTION_EXCEPTION_CLASS) || state.equals(ADMIN_SHUTDOWN)
                || state.equals(CRASH_SHUTDOWN) || state.equals(CANNOT_CONNECT_NOW);
    }

    private static boolean hasState(Throwable cause, String state) {
        return cause instanceof SQLException sql && state.equals(sql.getSQLState());
    }

    private static boolean anyInChain(Throwable failure, Predicate<Throwable> test) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (test.test(cause)) {
                return true;
            }
            // SQLException chains carry further failures beside the cause (batch and multi-error cases).
            if (cause instanceof SQLException sql && sql.getNextException() != null && test.test(sql.getNextException())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** Whether running the same operation again may succeed: nothing of the failed attempt was committed. */
    static boolean isTransient(Throwable failure) {
        return sqlState(failure)
                .filter(state -> state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK_DETECTED))
                .isPresent();
    }
}
