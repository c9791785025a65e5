package credits.bootstrap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The real service for one test class: started on a random port with its own data dir before the
 * first test, and after the last one — when it runs on PostgreSQL — the ledger invariants are
 * checked in the database itself before it stops.
 * <pre>{@code @RegisterExtension static final RunningService service = RunningService.embedded();}</pre>
 */
final class RunningService implements BeforeAllCallback, AfterAllCallback {

    private final Function<Path, Settings> settings;
    private final Clock clock;
    private Path dataDir;
    private CreditsServer server;
    private ApiClient api;

    private RunningService(Function<Path, Settings> settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    static RunningService embedded() {
        return new RunningService(TestSettings::embedded, Clock.systemUTC());
    }

    /** On the embedded database, with {@code clock} as the service's time. */
    static RunningService embedded(Clock clock) {
        return new RunningService(TestSettings::embedded, clock);
    }

    static RunningService with(Function<Path, Settings> settings) {
        return new RunningService(settings, Clock.systemUTC());
    }

    static RunningService with(Function<Path, Settings> settings, Clock clock) {
        return new RunningService(settings, clock);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("credits-e2e-");
        server = CreditsServer.start(settings.apply(dataDir), clock);
        api = new ApiClient(server.port(), TestSettings.SECRET);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server.database().isPresent()) {
                LedgerInvariants.assertHold(server);
            }
        } finally {
            server.close();
            try (var paths = Files.walk(dataDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    CreditsServer server() {
        return server;
    }

    Path dataDir() {
        return dataDir;
    }

    ApiClient api() {
        return api;
    }
}
