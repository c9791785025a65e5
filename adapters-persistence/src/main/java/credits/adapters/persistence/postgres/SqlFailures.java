package credits.adapters.persistence.postgres;

import java.sql.SQLException;
import java.util.Optional;

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

    /** Whether running the same operation again may succeed: nothing of the failed attempt was committed. */
    static boolean isTransient(Throwable failure) {
        return sqlState(failure)
                .filter(state -> state.equals(SERIALIZATION_FAILURE) || state.equals(DEADLOCK_DETECTED))
                .isPresent();
    }
}
