package credits.bootstrap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Expiry through the real service on embedded PostgreSQL, with the service's clock moved by the test:
 * a lot is gone from the balance at its instant, whether or not the sweeper or any move ran.
 */
class LotExpiryEndToEndTest {

    private static final String GRANT = "/api/admin/billing/credits/grant";
    private static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final RunningService service = RunningService.embedded(CLOCK);

    private static String admin;

    @BeforeAll
    static void mintTokens() {
        admin = service.api().tokenFor("finance_admin", "credits:admin");
    }

    @Test
    void aLotExpiringTwoSecondsAheadIsGoneFromTheBalanceReadRightAfterItsInstant() {
        String user = "dev_" + UUID.randomUUID();
        Instant expiresAt = CLOCK.instant().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        assertThat(service.api().post(admin, GRANT, UUID.randomUUID().toString(),
                grant(user, "3", ",\"expires_at\":\"" + expiresAt + "\"")).status(), is(201));
        assertThat(service.api().post(admin, GRANT, UUID.randomUUID().toString(), grant(user, "1", "")).status(), is(201));
        assertThat(balance(user), is("4.00"));

        CLOCK.advance(Duration.between(CLOCK.instant(), expiresAt));

        assertThat(balance(user), is("1.00"));
    }

    private static String balance(String user) {
        return service.api().get(admin, "/api/admin/billing/credits/" + user).text("balance_usdc");
    }

    private static String grant(String user, String amount, String extra) {
        return "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"" + extra + "}";
    }
}
