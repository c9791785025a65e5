package credits.bootstrap;

import credits.adapters.http.ApiSettings;
import credits.adapters.http.ApiSettings.RateLimit;
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
        for (String origin : List.of("https://billing.example.com/", "https://billing.example.com/app", "billing.example.com",
                "ftp://billing.example.com", "https://user@billing.example.com", "https://*.example.com")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Settings.load(Map.of("CREDITS_CORS_ORIGINS", origin)), origin);

            assertThat(refused.getMessage(), startsWith("CREDITS_CORS_ORIGINS"));
        }
        assertThat(Settings.load(Map.of("CREDITS_CORS_ORIGINS", "https://billing.example.com:8443")).corsOrigins(),
                is(List.of("https://billing.example.com:8443")));
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
    void testSettingsSwitchRateLimitsOffUnlessATestSwitchesThemOn() {
        Settings settings = TestSettings.embedded(java.nio.file.Path.of("/tmp/unused"));

        assertThat(settings.userRateLimit().enabled(), is(false));
        assertThat(settings.withRateLimits(new RateLimit(10, 1), RateLimit.DISABLED).userRateLimit(), is(new RateLimit(10, 1)));
    }
}
