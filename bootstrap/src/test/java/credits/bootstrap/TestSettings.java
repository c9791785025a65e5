package credits.bootstrap;

import credits.adapters.http.ApiSettings.RateLimit;
import credits.domain.RetrySchedule;
import credits.domain.Usdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings as an operator would give them, for tests: embedded PostgreSQL in a temp dir, random port.
 * Rate limits are off, since most tests hammer one user; a test about them switches them on with
 * {@code TestSettings.withRateLimits(TestSettings.embedded(dir), new RateLimit(10, 1), RateLimit.DISABLED)}.
 */
final class TestSettings {

    static final String SECRET = "test-secret-for-end-to-end-tests-0123456789";

    private TestSettings() {
    }

    static Settings embedded(Path dataDir) {
        return new Settings("127.0.0.1", 0, Settings.Store.POSTGRES, dataDir, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 8, Duration.ofSeconds(2), Duration.ofSeconds(5), Optional.of(SECRET), Optional.empty(),
                Optional.empty(), Optional.empty(), false, RateLimit.DISABLED, RateLimit.DISABLED, List.of(),
                Settings.LogFormat.TEXT, Duration.ofSeconds(5), Optional.empty(), Duration.ofSeconds(1), 1000,
                RetrySchedule.DEFAULT, Optional.empty());
    }

    /** An external database at {@code url}, the service's role {@code user}, migrations by {@code migrationUser} when given. */
    static Settings external(Path dataDir, String url, String user, String password, Optional<String> migrationUser,
                             Optional<String> migrationPassword) {
        Settings embedded = embedded(dataDir);
        return new Settings(embedded.host(), embedded.port(), Settings.Store.POSTGRES, dataDir, Optional.of(url), Optional.of(user),
                Optional.of(password), migrationUser, migrationPassword, embedded.dbPoolSize(), embedded.dbConnectTimeout(),
                embedded.dbStatementTimeout(), embedded.jwtHmacSecret(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, RateLimit.DISABLED, RateLimit.DISABLED, List.of(), Settings.LogFormat.TEXT, Duration.ofSeconds(5),
                Optional.empty(), embedded.expirySweepInterval(), embedded.maxActiveHoldsPerUser(), embedded.webhookRetrySchedule(),
                embedded.defaultLowBalance());
    }

    static Settings memory(Path dataDir) {
        Settings embedded = embedded(dataDir);
        return new Settings(embedded.host(), embedded.port(), Settings.Store.MEMORY, dataDir, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), embedded.dbPoolSize(), embedded.dbConnectTimeout(),
                embedded.dbStatementTimeout(), embedded.jwtHmacSecret(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, RateLimit.DISABLED, RateLimit.DISABLED, List.of(), Settings.LogFormat.TEXT, Duration.ofSeconds(5),
                Optional.empty(), embedded.expirySweepInterval(), embedded.maxActiveHoldsPerUser(), embedded.webhookRetrySchedule(),
                embedded.defaultLowBalance());
    }

    static Settings withRateLimits(Settings base, RateLimit user, RateLimit service) {
        return new Settings(base.host(), base.port(), base.store(), base.dataDir(), base.dbUrl(), base.dbUser(),
                base.dbPassword(), base.dbMigrationUser(), base.dbMigrationPassword(), base.dbPoolSize(), base.dbConnectTimeout(), base.dbStatementTimeout(),
                base.jwtHmacSecret(), base.jwtJwks(), base.jwtIssuer(), base.jwtAudience(), base.trustUserHeader(),
                user, service, base.corsOrigins(), base.logFormat(), base.shutdownGrace(), base.historyCursorKey(),
                base.expirySweepInterval(), base.maxActiveHoldsPerUser(), base.webhookRetrySchedule(), base.defaultLowBalance());
    }

    static Settings withWebhooks(Settings base, RetrySchedule retries, Optional<Usdc> defaultLowBalance) {
        return new Settings(base.host(), base.port(), base.store(), base.dataDir(), base.dbUrl(), base.dbUser(),
                base.dbPassword(), base.dbMigrationUser(), base.dbMigrationPassword(), base.dbPoolSize(), base.dbConnectTimeout(), base.dbStatementTimeout(),
                base.jwtHmacSecret(), base.jwtJwks(), base.jwtIssuer(), base.jwtAudience(), base.trustUserHeader(),
                base.userRateLimit(), base.serviceRateLimit(), base.corsOrigins(), base.logFormat(), base.shutdownGrace(),
                base.historyCursorKey(), base.expirySweepInterval(), base.maxActiveHoldsPerUser(), retries, defaultLowBalance);
    }
}
