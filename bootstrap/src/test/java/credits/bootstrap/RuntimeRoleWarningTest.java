package credits.bootstrap;

import credits.adapters.persistence.postgres.PostgresSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;

/**
 * The start-up warning when the service's database role could switch the ledger's append-only guard
 * off. The "external" databases here are the embedded cluster of another running service, reached by
 * URL with its roles, as an operator would give them.
 */
class RuntimeRoleWarningTest {

    @RegisterExtension
    static final RunningService database = RunningService.embedded();

    private final Logger logger = Logger.getLogger(CreditsServer.class.getName());
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        logger.removeHandler(capture);
    }

    @Test
    void oneRoleThatOwnsTheLedgerAndServesGetsOneWarningPointingToTheOperationsGuide(@TempDir Path dataDir) {
        PostgresSettings db = database.server().database().orElseThrow();

        try (CreditsServer ignored = CreditsServer.start(TestSettings.external(dataDir, db.jdbcUrl(), db.migrationUser(),
                db.migrationPassword(), Optional.empty(), Optional.empty()))) {
            assertThat(warnings, contains(allOf(containsString("role " + db.migrationUser() + " owns ledger_entries"),
                    containsString("append-only guard"), containsString("docs/operations.md"),
                    not(containsString(db.migrationPassword())))));
        }
    }

    @Test
    void aRuntimeRoleBesideTheMigrationRoleGetsNoWarning(@TempDir Path dataDir) {
        PostgresSettings db = database.server().database().orElseThrow();

        try (CreditsServer ignored = CreditsServer.start(TestSettings.external(dataDir, db.jdbcUrl(), db.user(), db.password(),
                Optional.of(db.migrationUser()), Optional.of(db.migrationPassword())))) {
            assertThat(warnings, empty());
        }
    }

    @Test
    void theEmbeddedDefaultGetsNoWarning(@TempDir Path dataDir) {
        try (CreditsServer ignored = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(warnings, empty());
        }
    }
}
