package credits.bootstrap;

import credits.adapters.http.ApiSettings;
import credits.adapters.http.ApiSettings.RateLimit;
import credits.domain.RetrySchedule;
import credits.domain.Usdc;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The operability settings: their defaults, their environment variables, and refusals that name the variable. */
class SettingsTest {

    @Test
    void withNothingSetTheDefaultsAreThoseOperatorsAreToldAbout() {
        Settings settings = Settings.load(Map.of());

        assertThat(settings.userRateLimit(), is(new RateLimit(10, 1)));
        assertThat(settings.serviceRateLimit(), is(new RateLimit(2000, 1000)));
        assertThat(settings.corsOrigins(), is(List.of()));
        assertThat(settings.logFormat(), is(Settings.LogFormat.JSON));
        assertThat(settings.shutdownGrace(), is(Duration.ofSeconds(10)));
        assertThat(settings.dbConnectTimeout(), is(Duration.ofMillis(2000)));
    }

    @Test
    void eachSettingIsTakenFromItsEnvironmentVariable() {
        Settings settings = Settings.load(Map.of(
                "CREDITS_RATE_LIMIT_CAPACITY", "20",
                "CREDITS_RATE_LIMIT_REFILL_PER_SECOND", "5",
                "CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "500",
                "CREDITS_SERVICE_RATE_LIMIT_REFILL_PER_SECOND", "250",
                "CREDITS_CORS_ORIGINS", " https://billing.example.com, http://localhost:5173 ,",
                "CREDITS_LOG_FORMAT", "TEXT",
                "CREDITS_SHUTDOWN_GRACE_SECONDS", "30"));

        assertThat(settings.userRateLimit(), is(new RateLimit(20, 5)));
        assertThat(settings.serviceRateLimit(), is(new RateLimit(500, 250)));
        assertThat(settings.corsOrigins(), is(List.of("https://billing.example.com", "http://localhost:5173")));
        assertThat(settings.logFormat(), is(Settings.LogFormat.TEXT));
        assertThat(settings.shutdownGrace(), is(Duration.ofSeconds(30)));
    }

    @Test
    void theServerAndDatabaseVariablesReachTheirSettingsThroughHelidonsEnvironmentMapping() {
        Settings settings = Settings.load(Map.ofEntries(
                Map.entry("CREDITS_HOST", "127.0.0.1"),
                Map.entry("CREDITS_PORT", "9090"),
                Map.entry("CREDITS_STORE", "memory"),
                Map.entry("CREDITS_DATA_DIR", "/var/lib/credits"),
                Map.entry("CREDITS_DB_URL", "jdbc:postgresql://db/credits"),
                Map.entry("CREDITS_DB_USER", "credits_app"),
                Map.entry("CREDITS_DB_POOL_SIZE", "8"),
                Map.entry("CREDITS_DB_CONNECT_TIMEOUT_MS", "750"),
                Map.entry("CREDITS_DB_STATEMENT_TIMEOUT_MS", "900"),
                Map.entry("CREDITS_JWT_JWKS", "/etc/credits/jwks.json"),
                Map.entry("CREDITS_JWT_ISSUER", "https://auth.example.com"),
                Map.entry("CREDITS_JWT_AUDIENCE", "credits"),
                Map.entry("CREDITS_TRUST_USER_HEADER", "true")));

        assertThat(settings.host(), is("127.0.0.1"));
        assertThat(settings.port(), is(9090));
        assertThat(settings.store(), is(Settings.Store.MEMORY));
        assertThat(settings.dataDir().toString(), is("/var/lib/credits"));
        assertThat(settings.dbUrl(), is(java.util.Optional.of("jdbc:postgresql://db/credits")));
        assertThat(settings.dbUser(), is(java.util.Optional.of("credits_app")));
        assertThat(settings.dbPoolSize(), is(8));
        assertThat(settings.dbConnectTimeout(), is(Duration.ofMillis(750)));
        assertThat(settings.dbStatementTimeout(), is(Duration.ofMillis(900)));
        assertThat(settings.jwtJwks(), is(java.util.Optional.of("/etc/credits/jwks.json")));
        assertThat(settings.jwtIssuer(), is(java.util.Optional.of("https://auth.example.com")));
        assertThat(settings.jwtAudience(), is(java.util.Optional.of("credits")));
        assertThat(settings.trustUserHeader(), is(true));
    }

    @Test
    void aBlankVariableLeavesTheDefaultInPlace() {
        Settings settings = Settings.load(Map.of("CREDITS_DB_POOL_SIZE", "  ", "CREDITS_PORT", ""));

        assertThat(settings.dbPoolSize(), is(16));
        assertThat(settings.port(), is(8080));
    }

    @Test
    void aCapacityOfZeroSwitchesARateLimitOff() {
        Settings settings = Settings.load(Map.of("CREDITS_RATE_LIMIT_CAPACITY", "0",
                "CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "0", "CREDITS_SERVICE_RATE_LIMIT_REFILL_PER_SECOND", "0"));

        assertThat(settings.userRateLimit().enabled(), is(false));
        assertThat(settings.serviceRateLimit().enabled(), is(false));
    }

    @Test
    void theApiSettingsCarryTheRateLimitsAndOrigins() {
        Settings settings = Settings.load(Map.of("CREDITS_CORS_ORIGINS", "https://billing.example.com"));

        assertThat(settings.apiSettings(), is(new ApiSettings(new RateLimit(10, 1), new RateLimit(2000, 1000),
                List.of("https://billing.example.com"))));
    }

    @Test
    void theActiveHoldLimitIsAThousandUnlessAPositiveWholeNumberIsConfigured() {
        assertThat(Settings.load(Map.of()).maxActiveHoldsPerUser(), is(1000));
        assertThat(Settings.load(Map.of("CREDITS_MAX_ACTIVE_HOLDS_PER_USER", "25")).maxActiveHoldsPerUser(), is(25));
        for (String bad : new String[] {"0", "-1", "1.5", "many"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_MAX_ACTIVE_HOLDS_PER_USER", bad)), bad);
            assertThat(refused.getMessage(), startsWith("CREDITS_MAX_ACTIVE_HOLDS_PER_USER"));
        }
    }

    @Test
    void theWebhookRetryScheduleIsApiMdsDefaultUnlessCommaSeparatedSecondsAreConfigured() {
        assertThat(Settings.load(Map.of()).webhookRetrySchedule(), is(RetrySchedule.DEFAULT));
        assertThat(Settings.load(Map.of("CREDITS_WEBHOOK_RETRY_SECONDS", "1, 1,60")).webhookRetrySchedule(),
                is(RetrySchedule.seconds(List.of(1L, 1L, 60L))));
        for (String bad : new String[] {"0", "-5", "5,,300", "5;300", "1.5", "soon", "5,", "999999999"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_WEBHOOK_RETRY_SECONDS", bad)), bad);
            assertThat(refused.getMessage(), startsWith("CREDITS_WEBHOOK_RETRY_SECONDS must be"));
        }
    }

    @Test
    void theDefaultLowBalanceThresholdIsNoneUnlessAnAmountAboveZeroIsConfigured() {
        assertThat(Settings.load(Map.of()).defaultLowBalance(), is(Optional.empty()));
        assertThat(Settings.load(Map.of("CREDITS_DEFAULT_LOW_BALANCE_USDC", "5.00")).defaultLowBalance(),
                is(Optional.of(Usdc.parse("5"))));
        for (String bad : new String[] {"0", "0.00", "-1", "five", "1e3", "0.00000001"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_DEFAULT_LOW_BALANCE_USDC", bad)), bad);
            assertThat(refused.getMessage(), startsWith("CREDITS_DEFAULT_LOW_BALANCE_USDC must be an amount above 0"));
        }
    }

    @Test
    void aBadValueIsRefusedNamingItsVariable() {
        Map<String, String> bad = Map.of(
                "CREDITS_RATE_LIMIT_CAPACITY", "lots",
                "CREDITS_RATE_LIMIT_REFILL_PER_SECOND", "-1",
                "CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "1.5",
                "CREDITS_SERVICE_RATE_LIMIT_REFILL_PER_SECOND", "fast",
                "CREDITS_LOG_FORMAT", "xml",
                "CREDITS_SHUTDOWN_GRACE_SECONDS", "-5",
                "CREDITS_CORS_ORIGINS", "*");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of(entry.getKey(), entry.getValue())), entry.getKey());

            assertThat(refused.getMessage(), startsWith(entry.getKey()));
        }
    }

    @Test
    void aConfiguredHistoryCursorKeyIsTheBase64OfThirtyTwoBytes() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 7);
        String configured = Base64.getEncoder().encodeToString(bytes);

        assertThat(Settings.load(Map.of()).historyCursorKey().isPresent(), is(false));
        assertThat(Settings.load(Map.of("CREDITS_HISTORY_CURSOR_KEY", configured)).historyCursorKey().isPresent(), is(true));
        assertThat(Settings.load(Map.of("CREDITS_HISTORY_CURSOR_KEY", configured)).toString(),
                both(containsString("historyCursorKey=***")).and(not(containsString(configured))));
    }

    @Test
    void aHistoryCursorKeyThatIsNotBase64OfThirtyTwoBytesIsRefusedWithoutShowingIt() {
        for (String bad : List.of("not base64 at all!", Base64.getEncoder().encodeToString(new byte[16]),
                Base64.getEncoder().encodeToString(new byte[31]), Base64.getEncoder().encodeToString(new byte[33]),
                Base64.getEncoder().encodeToString(new byte[64]), "c2VjcmV0LXZhbHVl")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_HISTORY_CURSOR_KEY", bad)), bad);

            assertThat(refused.getMessage(), startsWith("CREDITS_HISTORY_CURSOR_KEY"));
            assertThat(refused.getMessage(), not(containsString(bad)));
        }
    }

    @Test
    void theConfiguredHistoryCursorKeyIsTheOneTheApiGets() {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        Settings withKey = Settings.load(Map.of("CREDITS_HISTORY_CURSOR_KEY", configured));

        assertThat(CreditsServer.historyCursorKey(withKey, Optional.empty(), Clock.systemUTC()),
                is(sameInstance(withKey.historyCursorKey().orElseThrow())));
    }

    @Test
    void aRateLimitWithCapacityButNoRefillIsRefusedNamingTheRefill() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Settings.load(Map.of(
                "CREDITS_RATE_LIMIT_CAPACITY", "10", "CREDITS_RATE_LIMIT_REFILL_PER_SECOND", "0")));

        assertThat(refused.getMessage(), startsWith("CREDITS_RATE_LIMIT_REFILL_PER_SECOND"));
    }

    @Test
    void corsOriginsMustBeOriginsNotUrlsWithPathsOrWildcards() {
        for (String origin : List.of("https://billing.example.com/app", "billing.example.com",
                "ftp://billing.example.com", "https://user@billing.example.com", "https://*.example.com")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_CORS_ORIGINS", origin)), origin);

            assertThat(refused.getMessage(), startsWith("CREDITS_CORS_ORIGINS"));
        }
        assertThat(Settings.load(Map.of("CREDITS_CORS_ORIGINS", "https://billing.example.com:8443")).corsOrigins(),
                is(List.of("https://billing.example.com:8443")));
        // One rule with the HTTP adapter's: the origin a trailing slash leaves is unambiguous.
        assertThat(Settings.load(Map.of("CREDITS_CORS_ORIGINS", "https://billing.example.com/")).corsOrigins(),
                is(List.of("https://billing.example.com")));
    }

    @Test
    void theLogFormatReadFirstFallsBackToJsonOnABadValueWhichTheFullLoadThenRefuses() {
        assertThat(Settings.logFormat(Map.of()), is(Settings.LogFormat.JSON));
        assertThat(Settings.logFormat(Map.of("CREDITS_LOG_FORMAT", "text")), is(Settings.LogFormat.TEXT));
        assertThat(Settings.logFormat(Map.of("CREDITS_LOG_FORMAT", "xml")), is(Settings.LogFormat.JSON));
    }

    @Test
    void theDescriptionShowsTheNewSettingsAndStillNoSecrets() {
        Map<String, String> env = new HashMap<>();
        env.put("CREDITS_JWT_HMAC_SECRET", "a-secret-that-is-long-enough-0123456789");
        env.put("CREDITS_CORS_ORIGINS", "https://billing.example.com");

        String description = Settings.load(env).toString();

        assertThat(description, containsString("corsOrigins=[https://billing.example.com]"));
        assertThat(description, containsString("shutdownGrace=PT10S"));
        assertThat(description, not(containsString("a-secret-that-is-long-enough")));
    }

    @Test
    void withoutAMigrationUserTheDatabaseUserAlsoRunsTheMigrations() {
        Settings settings = Settings.load(Map.of("CREDITS_DB_URL", "jdbc:postgresql://db/credits",
                "CREDITS_DB_USER", "credits_app", "CREDITS_DB_PASSWORD", "app-pass"));

        assertThat(settings.migrationUser(), is("credits_app"));
        assertThat(settings.migrationPassword(), is("app-pass"));
    }

    @Test
    void aMigrationUserRunsTheMigrationsWithItsOwnPasswordAndNeitherPasswordIsShown() {
        Settings settings = Settings.load(Map.of("CREDITS_DB_URL", "jdbc:postgresql://db/credits",
                "CREDITS_DB_USER", "credits_app", "CREDITS_DB_PASSWORD", "app-pass",
                "CREDITS_DB_MIGRATION_USER", "credits_owner", "CREDITS_DB_MIGRATION_PASSWORD", "owner-pass"));

        assertThat(settings.dbUser().orElseThrow(), is("credits_app"));
        assertThat(settings.migrationUser(), is("credits_owner"));
        assertThat(settings.migrationPassword(), is("owner-pass"));
        assertThat(settings.toString(), containsString("dbMigrationUser=credits_owner"));
        assertThat(settings.toString(), not(containsString("owner-pass")));
        assertThat(settings.toString(), not(containsString("app-pass")));
    }

    @Test
    void aMigrationPasswordWithoutAMigrationUserIsRefusedNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Settings.load(Map.of(
                "CREDITS_DB_MIGRATION_PASSWORD", "owner-pass")));

        assertThat(refused.getMessage(), startsWith("CREDITS_DB_MIGRATION_PASSWORD"));
        assertThat(refused.getMessage(), not(containsString("owner-pass")));
    }

    @Test
    void testSettingsSwitchRateLimitsOffUnlessATestSwitchesThemOn() {
        Settings settings = TestSettings.embedded(java.nio.file.Path.of("/tmp/unused"));

        assertThat(settings.userRateLimit().enabled(), is(false));
        assertThat(settings.withRateLimits(new RateLimit(10, 1), RateLimit.DISABLED).userRateLimit(), is(new RateLimit(10, 1)));
    }
}
