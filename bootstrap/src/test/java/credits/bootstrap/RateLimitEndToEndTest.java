package credits.bootstrap;

import credits.adapters.http.ApiSettings.RateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The per-user limit on the real service over HTTP, with the defaults an operator gets: 10 at once, 1 per second. */
class RateLimitEndToEndTest {

    @RegisterExtension
    static final RunningService service = RunningService.with(dir ->
            TestSettings.withRateLimits(TestSettings.embedded(dir), new RateLimit(10, 1), RateLimit.DISABLED));

    @Test
    void twelveConcurrentRequestsOfOneUserGiveTenAnswersAndTwoTooManyRequestsWhileAnotherUserIsUnaffected()
            throws Exception {
        String token = service.api().tokenFor("limited_user");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<ApiClient.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return service.api().get(token, "/api/billing/credits");
                }));
            }
            start.countDown();
            int ok = 0;
            int limited = 0;
            for (Future<ApiClient.Response> future : responses) {
                ApiClient.Response response = future.get();
                if (response.status() == 200) {
                    ok++;
                } else {
                    assertThat(response.status(), is(429));
                    assertThat(response.text("code"), is("TOO_MANY_REQUESTS"));
                    assertThat(Integer.parseInt(response.header("Retry-After")) >= 1, is(true));
                    limited++;
                }
            }
            assertThat(ok, is(10));
            assertThat(limited, is(2));
            assertThat(service.api().get(service.api().tokenFor("another_user"), "/api/billing/credits").status(), is(200));
        } finally {
            pool.shutdownNow();
        }
    }
}
