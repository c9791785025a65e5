package credits.bootstrap;

import credits.adapters.persistence.postgres.PostgresSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedded PostgreSQL lets no one in without a password, and the service in only as a plain role. */
class EmbeddedDatabaseAccessTest {

    private static final String OWNER_ONLY = "rw-------";

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    @Test
    void aConnectionWithoutThePasswordOrWithAWrongOneIsRefusedForEveryRole() {
        String url = service.server().jdbcUrl().orElseThrow();
        for (String role : List.of("postgres", "credits_owner", "credits_app")) {
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, role, "").close(), role + " without password");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, role, "wrong").close(), role + " wrong password");
        }
    }

    @Test
    void everyRuleOfTheClusterAsksForAScramPasswordOnTheSocketAndOverTcp() throws Exception {
        List<String> rules;
        try (Connection superuser = superuser()) {
            rules = strings(superuser, "SELECT type || ' ' || auth_method FROM pg_hba_file_rules");
        }

        assertThat(rules, is(List.of("local scram-sha-256", "host scram-sha-256", "host scram-sha-256")));
    }

    @Test
    void theServiceConnectsAsARuntimeRoleThatIsNoSuperuserAndOwnsNothing() throws Exception {
        PostgresSettings db = service.server().database().orElseThrow();
        assertThat(db.user(), is("credits_app"));
        assertThat(db.migrationUser(), is("credits_owner"));
        try (Connection runtime = TestDatabase.connect(service.server())) {
            assertThat(strings(runtime, "SELECT rolsuper::text || rolcreaterole::text || rolcreatedb::text"
                    + " FROM pg_roles WHERE rolname IN ('credits_app', 'credits_owner')"), everyItem(is("falsefalsefalse")));
            assertThat(strings(runtime, "SELECT relname FROM pg_class WHERE relowner = 'credits_app'::regrole"), empty());
            assertThat(strings(runtime, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"),
                    is(List.of("credits_owner")));
        }
    }

    @Test
    void theRuntimeRoleCannotRewriteTheLedger() throws Exception {
        service.api().grant("access-ledger-user", "1.00");
        try (Connection runtime = TestDatabase.connect(service.server())) {
            for (String rewrite : List.of("UPDATE ledger_entries SET reason = 'forged'", "DELETE FROM ledger_entries",
                    "TRUNCATE ledger_entries CASCADE", "DELETE FROM credits", "DROP TABLE deduction_refunds")) {
                SQLException refused = assertThrows(SQLException.class, () -> execute(runtime, rewrite), rewrite);
                assertThat(rewrite, refused.getSQLState(), is("42501")); // insufficient_privilege
            }
        }
    }

    @Test
    void thePasswordsAreKeptOwnerOnlyInTheDataDir() throws IOException {
        Path file = service.dataDir().resolve(EmbeddedCredentials.FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is(OWNER_ONLY));
        assertThat(Files.readString(file), not(is("")));
    }

    @Test
    void theServerLogIsOwnerOnlyRotatedBySizeAndKeepsRowDetailsAndStatementsOut() throws Exception {
        try (Connection superuser = superuser()) {
            assertThat(strings(superuser, "SELECT current_setting('logging_collector') || ' ' || current_setting('log_rotation_size')"
                    + " || ' ' || current_setting('log_file_mode') || ' ' || current_setting('log_min_error_statement')"
                    + " || ' ' || current_setting('log_error_verbosity')"), is(List.of("on 10MB 0600 panic terse")));
        }

        String secretKey = "key-" + UUID.randomUUID();
        try (Connection runtime = TestDatabase.connect(service.server())) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement insert = runtime.prepareStatement("INSERT INTO credits (user_id, created_at, updated_at)"
                        + " VALUES (?, now(), now())")) {
                    insert.setString(1, secretKey);
                    insert.executeUpdate();
                } catch (SQLException duplicate) {
                    // the second one: a unique violation whose detail would name the key
                }
            }
        }
        Path logs = service.dataDir().resolve("postgres").resolve(ServerLogs.DIRECTORY);
        Awaitility.await("the unique violation reaches the server log").atMost(Duration.ofSeconds(20))
                .until(() -> logText(logs).contains("credits_pkey"));

        assertThat(logText(logs).contains(secretKey), is(false));
        assertThat(logText(logs).contains("INSERT INTO"), is(false));
        try (Stream<Path> files = Files.list(logs)) {
            assertThat(files.map(EmbeddedDatabaseAccessTest::permissions).toList(), everyItem(is(OWNER_ONLY)));
        }
        assertThat(permissions(service.dataDir().resolve("postgres-startup.log")), is(OWNER_ONLY));
    }

    @Test
    void pruningKeepsOnlyTheNewestServerLogFiles(@org.junit.jupiter.api.io.TempDir Path logs) throws IOException {
        for (int hour = 10; hour < 23; hour++) {
            Files.writeString(logs.resolve("postgresql-2025-01-02_" + hour + "0000.log"), "x");
        }
        Files.writeString(logs.resolve("notes.txt"), "not a log");

        ServerLogs.prune(logs, 10);

        try (Stream<Path> files = Files.list(logs)) {
            List<String> left = files.map(path -> path.getFileName().toString()).sorted().toList();
            assertThat(left.size(), is(11));
            assertThat(left.get(0), is("notes.txt"));
            assertThat(left.get(1), is("postgresql-2025-01-02_130000.log"));
        }
    }

    private static Connection superuser() throws Exception {
        EmbeddedCredentials credentials = EmbeddedCredentials.load(service.dataDir()).orElseThrow();
        return DriverManager.getConnection(service.server().jdbcUrl().orElseThrow(), "postgres", credentials.superuser());
    }

    static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String logText(Path logs) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
