package credits.adapters.persistence.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import credits.domain.StorageUnavailableException;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

/**
 * Hands DbClient connections from our own HikariCP pool: helidon-dbclient-hikari is not available
 * here, and owning the pool lets {@link PostgresStore} share it with the readiness check. DbClient
 * closes each connection after its statement, which returns it to the pool.
 */
final class HikariConnectionPool implements JdbcConnectionPool {

    private final HikariDataSource dataSource;

    HikariConnectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A pooled connection, waiting at most the pool's connection timeout. Not getting one (database
     * down, pool exhausted, pool closed on shutdown) means nothing was sent, so it is reported as
     * storage being unavailable rather than as a failure of the statement.
     */
    @Override
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StorageUnavailableException("No database connection available from pool " + dataSource.getPoolName()
                    + (dataSource.isClosed() ? " (closed)" : " within " + dataSource.getConnectionTimeout() + " ms"), e);
        }
    }

    @Override
    public String dbType() {
        return "postgresql";
    }

    @Override
    public String name() {
        return dataSource.getPoolName();
    }
}
