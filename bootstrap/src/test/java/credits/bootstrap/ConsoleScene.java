package credits.bootstrap;

import credits.domain.RetrySchedule;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Money moved through the real API the way the payment service, the gateway and finance would, to give the console something to show. */
final class ConsoleScene {

    private final ApiClient api;
    private final String admin;
    private final String payments;
    private final String meter;

    /** The service the console's browser tests use: embedded PostgreSQL, one webhook retry a second after a failed attempt. */
    static RunningService service() {
        return RunningService.with(dir -> TestSettings.withWebhooks(TestSettings.embedded(dir), RetrySchedule.seconds(List.of(1L)),
                Optional.empty()));
    }

    ConsoleScene(ApiClient api) {
        this.api = api;
        this.admin = api.tokenFor("finance", "credits:admin");
        this.payments = api.tokenFor("payments", "credits:deposit");
        this.meter = api.tokenFor("gateway", "credits:meter");
    }

    String adminToken() {
        return admin;
    }

    /** A user id no other test uses. */
    static String newUser(String name) {
        return name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    ApiClient.Response topup(String user, String amount) {
        return created(api.post(payments, "/api/billing/credits/topups", key(),
                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\",\"payment_reference\":\"0x" + UUID.randomUUID()
                        .toString().replace("-", "") + "\",\"memo\":\"USDC on Base\"}"));
    }

    /** A grant; {@code terms} is more of the body, e.g. {@code ,"category":"promotional","expires_at":"2030-01-01T00:00:00Z"}. */
    ApiClient.Response grant(String user, String amount, String terms) {
        return created(api.post(admin, "/api/admin/billing/credits/grant", key(),
                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\"" + terms + "}"));
    }

    ApiClient.Response deduct(String user, String amount, String reference) {
        return created(api.post(meter, "/api/billing/credits/deductions", key(),
                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\",\"reference\":\"" + reference + "\"}"));
    }

    ApiClient.Response hold(String user, String amount, String reference, int seconds) {
        return created(api.post(meter, "/api/billing/credits/holds", key(),
                "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount + "\",\"reference\":\"" + reference
                        + "\",\"expires_in_seconds\":" + seconds + "}"));
    }

    ApiClient.Response account(String user) {
        return api.get(admin, "/api/admin/billing/credits/" + user);
    }

    ApiClient.Response history(String user) {
        return api.get(admin, "/api/admin/billing/credits/" + user + "/transactions?limit=200");
    }

    private static ApiClient.Response created(ApiClient.Response response) {
        assertThat(response.raw().body(), response.status(), is(201));
        return response;
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
