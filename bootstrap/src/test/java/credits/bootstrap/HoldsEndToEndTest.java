package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Holds through the real service on embedded PostgreSQL, with the service's clock moved by the test: a hold
 * reserves, a capture charges part of it and frees the rest, a release gives it all back, and a hold that
 * reaches its expiry is shown expired with its amount available on the very next read, nothing else called.
 */
class HoldsEndToEndTest {

    private static final String HOLDS = "/api/billing/credits/holds";
    private static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final RunningService service = RunningService.embedded(CLOCK);

    private static String meter;

    @BeforeAll
    static void mintTokens() {
        meter = service.api().tokenFor("e2e_gateway", "credits:meter");
    }

    @Test
    void aHoldIsCapturedInPartAnotherReleasedAndTheBalanceHeldAndAvailableFollow() {
        String user = "dev_" + UUID.randomUUID();
        assertThat(service.api().grant(user, "10").status(), is(201));

        String first = place(user, "4", "");
        String second = place(user, "3", "");
        assertBalance(user, "10.00", "7.00", "3.00");

        ApiClient.Response capture = service.api().post(meter, HOLDS + "/" + first + "/capture", key(), "{\"amount_usdc\":\"1.50\"}");
        assertThat(capture.raw().body(), capture.status(), is(201));
        assertThat(capture.text("hold_id"), is(first));
        assertBalance(user, "8.50", "3.00", "5.50");

        ApiClient.Response release = service.api().post(meter, HOLDS + "/" + second + "/release", key(), "{}");
        assertThat(release.raw().body(), release.status(), is(200));
        assertThat(release.text("status"), is("released"));
        assertBalance(user, "8.50", "0.00", "8.50");
        assertThat(service.api().get(meter, HOLDS + "/" + first).text("status"), is("captured"));
    }

    @Test
    void aTwoSecondHoldIsExpiredAndItsAmountAvailableOnTheReadRightAfterItsInstant() {
        String user = "dev_" + UUID.randomUUID();
        assertThat(service.api().grant(user, "5").status(), is(201));
        String hold = place(user, "2", ",\"expires_in_seconds\":2");
        assertBalance(user, "5.00", "2.00", "3.00");

        CLOCK.advance(Duration.ofSeconds(2));

        assertThat(service.api().get(meter, HOLDS + "/" + hold).text("status"), is("expired"));
        assertBalance(user, "5.00", "0.00", "5.00");
    }

    private static String place(String user, String amount, String more) {
        ApiClient.Response placed = service.api().post(meter, HOLDS, key(),
                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"" + more + "}");
        assertThat(placed.raw().body(), placed.status(), is(201));
        return placed.text("id");
    }

    private static void assertBalance(String user, String balance, String held, String available) {
        JsonNode credit = service.api().getAs(user, "/api/billing/credits").json();
        assertThat(credit.toString(), credit.path("balance_usdc").asText(), is(balance));
        assertThat(credit.toString(), credit.path("held_usdc").asText(), is(held));
        assertThat(credit.toString(), credit.path("available_usdc").asText(), is(available));
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
