package credits.adapters.persistence.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import credits.domain.StorageUnavailableException;
import io.helidon.dbclient.DbClientException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

class SqlFailuresTest {

    @Test
    void theSqlStateIsFoundUnderHelidonsWrappers() {
        RuntimeException wrapped = new DbClientException("statement failed",
                new DbClientException("inner", new SQLException("duplicate", "23505")));

        assertThat(SqlFailures.sqlState(wrapped), is(Optional.of("23505")));
        assertThat(SqlFailures.is(wrapped, SqlFailures.UNIQUE_VIOLATION), is(true));
    }

    @Test
    void aFailureWithoutSqlExceptionHasNoSqlState() {
        assertThat(SqlFailures.sqlState(new IllegalStateException("pool closed")), is(Optional.empty()));
        assertThat(SqlFailures.sqlState(new DbClientException("no state", new SQLException("x"))), is(Optional.empty()));
    }

    @Test
    void onlySerializationFailuresAndDeadlocksAreWorthRetrying() {
        assertThat(SqlFailures.isTransient(new DbClientException("s", new SQLException("s", "40001"))), is(true));
        assertThat(SqlFailures.isTransient(new DbClientException("d", new SQLException("d", "40P01"))), is(true));
        assertThat(SqlFailures.isTransient(new DbClientException("u", new SQLException("u", "23505"))), is(false));
        assertThat(SqlFailures.isTransient(new DbClientException("c", new SQLException("c", "23514"))), is(false));
    }

    @Test
    void aPoolTimeoutIsNoConnectionEvenWhenItCarriesTheLastConnectFailure() {
        RuntimeException timeout = new DbClientException("pool", new SQLTransientConnectionException(
                "credits - Connection is not available, request timed out after 2000ms", "08001",
                new SQLException("Connection to localhost:5432 refused", "08001")));

        assertThat(SqlFailures.unavailability(timeout), is(Optional.of(SqlFailures.Unavailability.NO_CONNECTION)));
        assertThat("nothing was sent, but there is no connection to repeat it on", SqlFailures.isBrokenConnection(timeout),
                is(false));
    }

    @Test
    void connectionExceptionsAndServerShutdownAreALostConnection() {
        for (String state : new String[] {"08000", "08003", "08006", "57P01", "57P02", "57P03"}) {
            RuntimeException lost = new DbClientException("x", new SQLException("I/O error", state));

            assertThat(state, SqlFailures.unavailability(lost), is(Optional.of(SqlFailures.Unavailability.CONNECTION_LOST)));
            assertThat(state, SqlFailures.isBrokenConnection(lost), is(true));
        }
    }

    @Test
    void aCancelledStatementIsAStatementTimeout() {
        RuntimeException cancelled = new DbClientException("x",
                new SQLException("canceling statement due to statement timeout", "57014"));

        assertThat(SqlFailures.unavailability(cancelled), is(Optional.of(SqlFailures.Unavailability.STATEMENT_TIMEOUT)));
        assertThat(SqlFailures.isBrokenConnection(cancelled), is(false));
    }

    @Test
    void failuresOfTheRequestItselfAreNotUnavailability() {
        for (String state : new String[] {"23505", "23514", "22003", "40001", "40P01", "42601"}) {
            RuntimeException failure = new DbClientException("x", new SQLException("x", state));

            assertThat(state, SqlFailures.asUnavailable("grant", failure), is(Optional.empty()));
        }
        assertThat(SqlFailures.asUnavailable("grant", new IllegalStateException("bug")), is(Optional.empty()));
    }

    @Test
    void anUnavailableMessageNamesOperationAndStateButNotTheStatementOrItsValues() {
        RuntimeException lost = new DbClientException("Failed to execute statement with user_id=alice_42 amount=12345",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));

        StorageUnavailableException unavailable = SqlFailures.asUnavailable("deduct", lost).orElseThrow();

        assertThat(unavailable.getMessage(), containsString("deduct"));
        assertThat(unavailable.getMessage(), containsString("08006"));
        assertThat(unavailable.getMessage(), not(containsString("alice_42")));
        assertThat(unavailable.getMessage(), not(containsString("12345")));
        assertThat(unavailable.getCause(), sameInstance(lost));
    }

    @Test
    void theFailureToGetAPooledConnectionStaysUnavailableUnderHelidonsWrapper() {
        StorageUnavailableException fromPool = new StorageUnavailableException("No database connection available from pool",
                new SQLTransientConnectionException("timed out"));

        StorageUnavailableException unavailable = SqlFailures.asUnavailable("find",
                new DbClientException("wrapped", fromPool)).orElseThrow();

        assertThat(unavailable.getMessage(), containsString("during find"));
        assertThat(unavailable.getCause(), sameInstance(fromPool));
    }
}
