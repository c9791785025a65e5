package credits.bootstrap;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Who may connect to the embedded cluster, and as what. Every connection needs a password
 * (SCRAM-SHA-256), on the Unix socket and on loopback TCP alike. Three roles: the superuser
 * {@code postgres}, used only here to create and fix the other two; {@value #OWNER}, which owns
 * the schema and runs the migrations; and {@value #RUNTIME}, the service's pool, which owns nothing
 * and gets only the row privileges the migrations grant it. Neither of the two is a superuser.
 */
final class EmbeddedAccess {

    static final String SUPERUSER = "postgres";
    static final String OWNER = "credits_owner";
    static final String RUNTIME = "credits_app";
    static final String DATABASE = "postgres";

    static final String HBA = """
            # Written by the credits service at every start of its embedded PostgreSQL: edits are lost.
            # Every connection needs a password (SCRAM), on the Unix socket and on loopback TCP alike.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private static final String HBA_FILE = "pg_hba.conf";

    private static final String CREATE_ROLES = """
            DO $roles$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN CREATE ROLE %1$s; END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%2$s') THEN CREATE ROLE %2$s; END IF;
            END
            $roles$""".formatted(OWNER, RUNTIME);
    private static final String UNPRIVILEGED = " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";

    // Clusters made by earlier versions hold tables (and Flyway's history) owned by postgres.
    // REASSIGN OWNED cannot move objects of the bootstrap superuser, so each relation is moved;
    // a table takes its indexes and identity sequences along, so sequences come last.
    private static final String OWN_SCHEMA = """
            DO $own$
            DECLARE
                relation record;
            BEGIN
                FOR relation IN
                    SELECT c.oid::regclass AS name,
                           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                      AND c.relowner <> '%1$s'::regrole
                LOOP
                    EXECUTE format('ALTER %%s %%s OWNER TO %1$s', relation.kind, relation.name);
                END LOOP;
                FOR relation IN
                    SELECT c.oid::regclass AS name
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> '%1$s'::regrole
                LOOP
                    EXECUTE format('ALTER SEQUENCE %%s OWNER TO %1$s', relation.name);
                END LOOP;
            END
            $own$""".formatted(OWNER);

    private EmbeddedAccess() {
    }

    /** True when the cluster's pg_hba.conf is ours: no connection without a password. */
    static boolean lockedDown(Path cluster) throws IOException {
        Path hba = cluster.resolve(HBA_FILE);
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
    }

    /** Writes our pg_hba.conf; called with the postmaster stopped, so it takes effect when it starts. */
    static void lockDown(Path cluster) throws IOException {
        OwnerOnlyFiles.write(cluster.resolve(HBA_FILE), HBA);
    }

    /**
     * Creates the two roles, sets all three passwords and gives the schema and every table in it to
     * the owner, in one transaction; idempotent, so it runs at every start and repairs drift.
     * Passwords travel as SCRAM verifiers computed here, so the server never sees (nor could log) one.
     */
    static void provision(Connection superuser, EmbeddedCredentials credentials) throws SQLException {
        superuser.setAutoCommit(false);
        try (Statement statement = superuser.createStatement()) {
            statement.execute(CREATE_ROLES);
            statement.execute("ALTER ROLE " + OWNER + UNPRIVILEGED);
            statement.execute("ALTER ROLE " + RUNTIME + UNPRIVILEGED);
            PGConnection pg = superuser.unwrap(PGConnection.class);
            pg.alterUserPassword(SUPERUSER, credentials.superuser().toCharArray(), "scram-sha-256");
            pg.alterUserPassword(OWNER, credentials.owner().toCharArray(), "scram-sha-256");
            pg.alterUserPassword(RUNTIME, credentials.runtime().toCharArray(), "scram-sha-256");
            statement.execute("ALTER SCHEMA public OWNER TO " + OWNER);
            statement.execute(OWN_SCHEMA);
            superuser.commit();
        } catch (SQLException | RuntimeException e) {
            superuser.rollback();
            throw e;
        }
    }
}
