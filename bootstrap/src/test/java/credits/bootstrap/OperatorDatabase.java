package credits.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL set up as an operator would for several instances (docs/operations.md): a database
 * {@code credits} owned by a schema owner that runs the migrations, and a runtime role for the
 * services' pools, neither of them a superuser. The test keeps the superuser to look and to meddle.
 */
final class OperatorDatabase implements AutoCloseable {

    static final String OWNER = "credits_owner";
    static final String RUNTIME = "credits_app";

    private final EmbeddedPostgres postgres;
    private final String ownerPassword = "owner-" + UUID.randomUUID();
    private final String runtimePassword = "app-" + UUID.randomUUID();

    private OperatorDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static OperatorDatabase start() throws IOException, SQLException {
        OperatorDatabase database = new OperatorDatabase(EmbeddedPostgres.builder().start());
        try {
            database.create();
            return database;
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private void create() throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + ownerPassword + "' NOSUPERUSER NOCREATEDB NOCREATEROLE");
            statement.execute("CREATE ROLE " + RUNTIME + " LOGIN PASSWORD '" + runtimePassword + "' NOSUPERUSER NOCREATEDB NOCREATEROLE");
            statement.execute("CREATE DATABASE credits OWNER " + OWNER);
        }
        try (Connection admin = superuser(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER SCHEMA public OWNER TO " + OWNER);
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
    }

    String url() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/credits";
    }

    /** What every instance is configured with to use this database, as in docs/operations.md. */
    Map<String, String> serviceEnv() {
        return Map.of("CREDITS_DB_URL", url(), "CREDITS_DB_USER", RUNTIME, "CREDITS_DB_PASSWORD", runtimePassword,
                "CREDITS_DB_MIGRATION_USER", OWNER, "CREDITS_DB_MIGRATION_PASSWORD", ownerPassword);
    }

    /** What {@code reconcile} is run with: the runtime role only. */
    Map<String, String> reconcileEnv() {
        return Map.of("CREDITS_DB_URL", url(), "CREDITS_DB_USER", RUNTIME, "CREDITS_DB_PASSWORD", runtimePassword);
    }

    /** A superuser connection to {@code credits}. */
    Connection superuser() throws SQLException {
        return postgres.getDatabase("postgres", "credits").getConnection();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
