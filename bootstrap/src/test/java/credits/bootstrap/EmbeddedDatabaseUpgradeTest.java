package credits.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static credits.bootstrap.EmbeddedDatabaseAccessTest.strings;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A data dir made by an earlier version (trust, everything owned by postgres) upgrades on its first start. */
class EmbeddedDatabaseUpgradeTest {

    private static final String USER = "user-from-before";

    @Test
    void aClusterThatTrustedEveryoneIsLockedDownOnItsFirstStartAndKeepsEveryRow(@TempDir Path dataDir) throws Exception {
        createClusterAsEarlierVersionsDid(dataDir);

        try (CreditsServer server = CreditsServer.start(TestSettings.embedded(dataDir))) {
            String url = server.jdbcUrl().orElseThrow();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "").close());
            ApiClient api = new ApiClient(server.port(), TestSettings.SECRET);
            assertThat(api.getAs(USER, "/api/billing/credits").text("balance_usdc"), is("5.00"));
            assertThat(api.grant(USER, "1.00").status(), is(201));
            try (Connection runtime = TestDatabase.connect(server)) {
                assertThat(strings(runtime, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"),
                        is(List.of("credits_owner")));
                assertThat(strings(runtime, "SELECT count(*) FROM ledger_entries WHERE user_id = '" + USER + "'"),
                        is(List.of("2")));
            }
            try (Connection owner = TestDatabase.connectAsOwner(server)) {
                // the first three: later migrations follow
                assertThat(strings(owner, "SELECT version FROM flyway_schema_history ORDER BY installed_rank").subList(0, 3),
                        is(List.of("1", "2", "3")));
            }
            LedgerInvariants.assertHold(server);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres.log"))),
                is("rw-------"));

        try (CreditsServer again = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(new ApiClient(again.port(), TestSettings.SECRET).getAs(USER, "/api/billing/credits")
                    .text("balance_usdc"), is("6.00"));
        }
    }

    /** What the service did before it locked its cluster down: zonky's defaults (trust), migrations as postgres. */
    private static void createClusterAsEarlierVersionsDid(Path dataDir) throws Exception {
        Path cluster = dataDir.resolve("postgres");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(cluster).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).setPGStartupWait(Duration.ofSeconds(60)).start()) {
            String url = "jdbc:postgresql://localhost:" + old.getPort() + "/postgres";
            Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("2")
                    .load().migrate();
            try (Connection postgres = DriverManager.getConnection(url, "postgres", "");
                 Statement statement = postgres.createStatement()) {
                statement.execute("INSERT INTO credits (user_id, balance_units, created_at, updated_at)"
                        + " VALUES ('" + USER + "', 50000000, now(), now())");
                statement.execute("INSERT INTO ledger_entries (id, user_id, type, amount_units, balance_after_units,"
                        + " caller, idempotency_key, fingerprint, created_at) VALUES (gen_random_uuid(), '" + USER
                        + "', 'grant', 50000000, 50000000, 'admin', 'k-1', repeat('a', 64), now())");
            }
        }
        Files.writeString(cluster.resolve(".credits-initialised"), "ok\n");
        Files.writeString(dataDir.resolve("postgres.log"), "the log earlier versions appended to\n");
        Files.setPosixFilePermissions(dataDir.resolve("postgres.log"), PosixFilePermissions.fromString("rw-r--r--"));
    }
}
