package credits.bootstrap;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.nio.file.Path;
import java.util.Optional;

import credits.adapters.http.ApiSettings.RateLimit;
import credits.adapters.persistence.postgres.PostgresSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the per-user rate limit means with several instances on one database (docs/operations.md,
 * "Running several instances"): each instance keeps its own buckets, so a user whose requests are
 * spread over N instances gets up to N times the configured limit.
 */
class RateLimitAcrossInstancesTest {

    private static final RateLimit FIVE_THEN_ONE_A_SECOND = new RateLimit(5, 1);

    @RegisterExtension
    static final RunningService database = RunningService.embedded();

    @Test
    void aUserSpreadOverTwoInstancesGetsTheBurstOncePerInstance(@TempDir Path first, @TempDir Path second) {
        PostgresSettings db = database.server().database().orElseThrow();
        try (CreditsServer one = start(first, db); CreditsServer two = start(second, db)) {
            ApiClient viaOne = new ApiClient(one.port(), TestSettings.SECRET);
            ApiClient viaTwo = new ApiClient(two.port(), TestSettings.SECRET);
            String token = viaOne.tokenFor("spread_user");
            int passedOne = 0;
            int passedTwo = 0;
            for (int i = 0; i < 8; i++) {
                passedOne += viaOne.get(token, "/api/billing/credits").status() == 200 ? 1 : 0;
                passedTwo += viaTwo.get(token, "/api/billing/credits").status() == 200 ? 1 : 0;
            }

            // Sixteen requests take well under a second here: each bucket gives its 5, plus at most one refilled.
            assertThat(passedOne, allOf(greaterThanOrEqualTo(5), lessThanOrEqualTo(6)));
            assertThat(passedTwo, allOf(greaterThanOrEqualTo(5), lessThanOrEqualTo(6)));
        }
    }

    private static CreditsServer start(Path dataDir, PostgresSettings db) {
        return CreditsServer.start(TestSettings.withRateLimits(TestSettings.external(dataDir, db.jdbcUrl(), db.user(), db.password(),
                Optional.of(db.migrationUser()), Optional.of(db.migrationPassword())), FIVE_THEN_ONE_A_SECOND, RateLimit.DISABLED));
    }
}
