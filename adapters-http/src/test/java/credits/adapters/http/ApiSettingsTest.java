package credits.adapters.http;

import credits.adapters.http.ApiSettings.RateLimit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiSettingsTest {

    private static ApiSettings withOrigins(String... origins) {
        return new ApiSettings(RateLimit.DISABLED, RateLimit.DISABLED, List.of(origins));
    }

    @Test
    void originsAreKeptAsBrowsersSendThem() {
        ApiSettings settings = withOrigins(" https://Billing.Example.com/ ", "http://localhost:5173", "https://billing.example.com", "");

        assertThat(settings.corsOrigins(), is(List.of("https://billing.example.com", "http://localhost:5173")));
    }

    @Test
    void wildcardsPathsAndOtherSchemesAreRefusedAtStartUp() {
        for (String origin : List.of("*", "https://*.example.com", "https://example.com/app", "ftp://example.com", "example.com",
                "https://example.com?x=1", "null")) {
            assertThrows(IllegalArgumentException.class, () -> withOrigins(origin), origin);
        }
    }

    @Test
    void aRateLimitWithCapacityNeedsARefill() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 1));
        assertThat(new RateLimit(0, 0).enabled(), is(false));
    }
}
