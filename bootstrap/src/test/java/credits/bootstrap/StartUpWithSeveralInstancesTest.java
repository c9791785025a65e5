package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static credits.bootstrap.EmbeddedDatabaseAccessTest.strings;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three instances started at once on an empty database, as a first deploy or a rolling one with a
 * new migration would start them. The first migration is made slow (an event trigger the test
 * installs as superuser sleeps in the {@code CREATE TABLE credits}), so the race is not decided by
 * luck: one instance migrates while the others wait for Flyway's lock. Every answer any instance
 * gives is followed by a look at the schema's version, which only grows: an answer given before the
 * schema was current would be caught by the look after it.
 */
class StartUpWithSeveralInstancesTest {

    private static final int INSTANCES = 3;
    private static final int SLOW_MIGRATION_SECONDS = 6;
    private static final Duration START_DEADLINE = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private OperatorDatabase database;
    private final List<Process> services = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process service : services) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void instancesStartedTogetherMigrateTheSchemaOnceAndNoneAnswersBeforeItIsCurrent() throws Exception {
        database = OperatorDatabase.start();
        try (Connection superuser = database.superuser(); Statement statement = superuser.createStatement()) {
            // In a schema of its own: Flyway refuses to start on a non-empty public schema without its history.
            statement.execute("CREATE SCHEMA test_fixture");
            statement.execute("""
                    CREATE FUNCTION test_fixture.slow_first_table() RETURNS event_trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF current_query() ~* 'create\\s+table\\s+credits\\s*\\(' THEN
                            PERFORM pg_sleep(%d);
                        END IF;
                    END $$""".formatted(SLOW_MIGRATION_SECONDS));
            statement.execute("CREATE EVENT TRIGGER slow_first_table ON ddl_command_start WHEN TAG IN ('CREATE TABLE')"
                    + " EXECUTE FUNCTION test_fixture.slow_first_table()");
        }
        Map<String, String> env = new HashMap<>(database.serviceEnv());
        env.put("CREDITS_LOG_FORMAT", "text");
        ApiClient[] apis = new ApiClient[INSTANCES];
        long started = System.nanoTime();
        for (int i = 0; i < INSTANCES; i++) {
            int port = ServiceProcess.freePort();
            apis[i] = new ApiClient(port, TestSettings.SECRET);
            services.add(ServiceProcess.launch(Files.createDirectories(dir.resolve("instance-" + i)), port, env));
        }

        List<Answer> answers = new ArrayList<>();
        Map<Integer, JsonNode> readiness = new HashMap<>();
        AtomicBoolean sawOneMigratingAndTheOthersWaiting = new AtomicBoolean();
        try (Connection superuser = database.superuser()) {
            // Each poll asks every instance not yet ready, and looks at the schema right after each answer.
            Awaitility.await("every instance ready").atMost(START_DEADLINE).pollInterval(POLL).pollInSameThread().until(() -> {
                int listening = 0;
                for (int i = 0; i < INSTANCES; i++) {
                    if (!services.get(i).isAlive()) {
                        throw new AssertionError("instance " + i + " exited while starting:\n"
                                + Files.readString(ServiceProcess.log(dir.resolve("instance-" + i))));
                    }
                    if (readiness.containsKey(i)) {
                        listening++;
                        continue;
                    }
                    Optional<ApiClient.Response> answer = ready(apis[i]);
                    if (answer.isPresent()) {
                        listening++;
                        answers.add(new Answer(i, answer.get().status(), migrationsApplied(superuser)));
                        if (answer.get().status() == 200) {
                            readiness.put(i, JSON.readTree(answer.get().raw().body()));
                        }
                    }
                }
                if (listening == 0 && count(superuser, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'credits_owner'"
                        + " AND wait_event = 'PgSleep'") == 1) {
                    sawOneMigratingAndTheOthersWaiting.set(true);
                }
                return readiness.size() == INSTANCES;
            });
            long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            long applied = migrationsApplied(superuser);
            assertThat("answers given before the schema was current (" + applied + " migrations)",
                    answers.stream().filter(answer -> answer.migrationsAppliedAfter != applied).toList(), empty());
            assertTrue(sawOneMigratingAndTheOthersWaiting.get(),
                    "one instance should have been seen migrating (in the slow CREATE TABLE) while no instance listened");
            assertThat(readyMillis, greaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(SLOW_MIGRATION_SECONDS)));
            assertThat("migrations applied more than once or failed, by the instances racing",
                    strings(superuser, "SELECT version || ' x' || count(*) || ' ' || bool_and(success) FROM flyway_schema_history"
                            + " WHERE version IS NOT NULL GROUP BY version HAVING count(*) <> 1 OR NOT bool_and(success)"), empty());
            String current = schemaVersion(superuser).orElseThrow();
            for (int i = 0; i < INSTANCES; i++) {
                JsonNode check = readiness.get(i).get("checks").get(0);
                assertThat(readiness.get(i).toString(), check.get("data").get("schema").asText(), is(current));
            }
        }
    }

    /** The readiness answer, or empty while the instance does not listen yet. */
    private static Optional<ApiClient.Response> ready(ApiClient api) {
        try {
            return Optional.of(api.send(HttpRequest.newBuilder(api.uri("/health/ready")).GET()));
        } catch (RuntimeException notListening) {
            return Optional.empty();
        }
    }

    /** Migrations applied successfully so far; 0 before the history table exists. */
    private static long migrationsApplied(Connection superuser) throws SQLException {
        if (!historyExists(superuser)) {
            return 0;
        }
        return count(superuser, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL");
    }

    private static Optional<String> schemaVersion(Connection superuser) throws SQLException {
        return strings(superuser, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                + " ORDER BY installed_rank DESC LIMIT 1").stream().findFirst();
    }

    private static boolean historyExists(Connection superuser) throws SQLException {
        return count(superuser, "SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'") == 1;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        return Long.parseLong(strings(connection, sql).get(0));
    }

    /** An instance's answer, and how many migrations were applied when the test looked right after it. */
    private record Answer(int instance, int status, long migrationsAppliedAfter) {
    }
}
