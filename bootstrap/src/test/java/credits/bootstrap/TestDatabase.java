package credits.bootstrap;

import credits.adapters.persistence.postgres.PostgresSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A connection to a running service's database as its runtime role, for checks straight in the tables. */
final class TestDatabase {

    private TestDatabase() {
    }

    static Connection connect(CreditsServer server) throws SQLException {
        PostgresSettings db = server.database().orElseThrow();
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** As the role that owns the schema and runs the migrations. */
    static Connection connectAsOwner(CreditsServer server) throws SQLException {
        PostgresSettings db = server.database().orElseThrow();
        return DriverManager.getConnection(db.jdbcUrl(), db.migrationUser(), db.migrationPassword());
    }
}
