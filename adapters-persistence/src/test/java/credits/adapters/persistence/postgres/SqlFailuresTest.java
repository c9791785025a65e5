package credits.adapters.persistence.postgres;

import java.sql.SQLException;
import java.util.Optional;

import io.helidon.dbclient.DbClientException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

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
}
