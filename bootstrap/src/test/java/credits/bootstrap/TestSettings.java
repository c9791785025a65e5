package credits.bootstrap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings as an operator would give them, for tests: embedded PostgreSQL in a temp dir, random port. */
final class TestSettings {

    static final String SECRET = "test-secret-for-end-to-end-tests-0123456789";

    private TestSettings() {
    }

    static Settings embedded(Path dataDir) {
        return new Settings("127.0.0.1", 0, Settings.Store.POSTGRES, dataDir, Optional.empty(), Optional.empty(),
                Optional.empty(), 8, Duration.ofSeconds(2), Duration.ofSeconds(5), Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), false);
    }
}
