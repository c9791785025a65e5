package credits.adapters.persistence.postgres;

import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClientException;
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

    @Override
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DbClientException("No database connection available from pool " + dataSource.getPoolName(), e);
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
