package credits.bootstrap;

import com.sun.net.httpserver.HttpServer;
import credits.domain.WebhookSecret;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data dir is the customer's money: it must survive a clean restart and a {@code kill -9}.
 * The crash cases run the real service as a separate JVM so it can really be killed.
 */
class RestartAndCrashRecoveryTest {

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
        ServiceProcess.postmaster(dataDir).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aCleanRestartOnTheSameDataDirKeepsEveryAccountExactly() {
        String createdAt;
        try (CreditsServer first = CreditsServer.start(TestSettings.embedded(dataDir))) {
            ApiClient api = new ApiClient(first.port(), TestSettings.SECRET);
            createdAt = api.getAs("restart_user", "/api/billing/credits").text("created_at");
            assertThat(api.grant("restart_user", "100.5").status(), is(201));
        }

        try (CreditsServer second = CreditsServer.start(TestSettings.embedded(dataDir))) {
            ApiClient.Response response = new ApiClient(second.port(), TestSettings.SECRET)
                    .getAs("restart_user", "/api/billing/credits");
            assertThat(response.text("balance_usdc"), is("100.50"));
            assertThat(response.text("created_at"), is(createdAt));
        }
    }

    @Test
    void aHistoryCursorIssuedBeforeARestartStillOpensTheNextPageAfterIt() {
        String firstPage = "/api/billing/credits/transactions?limit=1";
        String cursor;
        try (CreditsServer first = CreditsServer.start(TestSettings.embedded(dataDir))) {
            ApiClient api = new ApiClient(first.port(), TestSettings.SECRET);
            assertThat(api.grant("paging_user", "1").status(), is(201));
            assertThat(api.grant("paging_user", "2").status(), is(201));
            cursor = api.getAs("paging_user", firstPage).text("next_cursor");
        }

        try (CreditsServer second = CreditsServer.start(TestSettings.embedded(dataDir))) {
            ApiClient.Response next = new ApiClient(second.port(), TestSettings.SECRET)
                    .getAs("paging_user", firstPage + "&cursor=" + cursor);
            assertThat(next.raw().body(), next.status(), is(200));
            assertThat(next.json().get("data").get(0).get("amount_usdc").asText(), is("1.00"));
            assertThat(next.json().get("next_cursor").isNull(), is(true));
        }
    }

    @Test
    void afterKillNineWhileItsPostgresKeepsRunningTheServiceStartsAgainWithAllData() throws Exception {
        int port = ServiceProcess.freePort();
        Process service = startServiceProcess(port);
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        String createdAt = api.getAs("crash_user", "/api/billing/credits").text("created_at");

        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertTrue(ServiceProcess.postmaster(dataDir).isPresent(), "the killed service's PostgreSQL should be left running as an orphan");

        Process restarted = startServiceProcess(port);
        ApiClient.Response response = api.getAs("crash_user", "/api/billing/credits");
        assertThat(response.status(), is(200));
        assertThat(response.text("created_at"), is(createdAt));

        stopGracefully(restarted);
    }

    @Test
    void afterKillNineOfServiceAndPostgresTheServiceStartsAgainWithAllData() throws Exception {
        int port = ServiceProcess.freePort();
        Process service = startServiceProcess(port);
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        String createdAt = api.getAs("crash_user", "/api/billing/credits").text("created_at");

        ProcessHandle orphan = ServiceProcess.postmaster(dataDir).orElseThrow();
        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        orphan.descendants().forEach(ProcessHandle::destroyForcibly);
        orphan.destroyForcibly();
        orphan.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(dataDir.resolve("postgres/postmaster.pid")), "a stale pid file should be left behind");

        Process restarted = startServiceProcess(port);
        ApiClient.Response response = api.getAs("crash_user", "/api/billing/credits");
        assertThat(response.status(), is(200));
        assertThat(response.text("created_at"), is(createdAt));

        stopGracefully(restarted);
    }

    @Test
    void aSecondServiceOnTheSameDataDirRefusesToStartInsteadOfTakingItsDatabase() throws Exception {
        int port = ServiceProcess.freePort();
        startServiceProcess(port);

        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CreditsServer.start(TestSettings.embedded(dataDir)));

        assertThat(refused.getMessage().contains("Another credits service"), is(true));
        assertThat(new ApiClient(port, TestSettings.SECRET).getAs("still_here", "/api/billing/credits").status(), is(200));
    }

    @Test
    void aWebhookCommittedWithItsDeductionIsDeliveredAfterAKillNineThatCameBeforeItsDelivery() throws Exception {
        int receiverPort = ServiceProcess.freePort(); // nothing listens there until after the kill: no attempt can succeed before it
        int port = ServiceProcess.freePort();
        Map<String, String> env = Map.of("CREDITS_DEFAULT_LOW_BALANCE_USDC", "5.00", "CREDITS_WEBHOOK_RETRY_SECONDS", "1,1,1,1,1,1,1,1");
        Process service = startServiceProcess(port, env);
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        String admin = api.tokenFor("crash_admin", "credits:admin");
        ApiClient.Response endpoint = api.post(admin, "/api/admin/billing/webhooks", null,
                "{\"url\":\"http://127.0.0.1:" + receiverPort + "/hook\",\"events\":[\"balance.low\"]}");
        assertThat(endpoint.status(), is(201));
        assertThat(api.grant("crash_webhook_user", "10").status(), is(201));
        assertThat(api.post(api.tokenFor("meter_gateway", "credits:meter"), "/api/billing/credits/deductions", "crash-deduction",
                "{\"user_id\":\"crash_webhook_user\",\"amount_usdc\":\"6\"}").status(), is(201));

        service.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL after the commit, before any delivery
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 0);
        receiver.createContext("/", exchange -> {
            received.add(new String[] {exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"), exchange.getRequestHeaders().getFirst("webhook-signature"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Process restarted = startServiceProcess(port, env);

            // Within the claim's lease (60 s) even if the kill came in the middle of an attempt.
            Awaitility.await().atMost(Duration.ofSeconds(75)).until(() -> !received.isEmpty());
            String[] low = received.get(0);
            assertThat(low[3], containsString("\"type\":\"balance.low\""));
            assertThat(low[2], is(WebhooksEndToEndContract.signature(WebhookSecret.parse(endpoint.text("secret")), low[0], low[1],
                    low[3].getBytes(StandardCharsets.UTF_8))));
            stopGracefully(restarted);
        } finally {
            receiver.stop(0);
        }
    }

    private void stopGracefully(Process service) throws InterruptedException {
        Optional<ProcessHandle> postgres = ServiceProcess.postmaster(dataDir);
        service.destroy(); // SIGTERM
        assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service should stop on SIGTERM");
        postgres.ifPresent(pg -> assertTrue(pg.onExit().orTimeout(30, TimeUnit.SECONDS).handle((p, e) -> !pg.isAlive()).join(),
                "the embedded PostgreSQL should stop with the service"));
    }

    private Process startServiceProcess(int port) throws IOException, InterruptedException {
        return startServiceProcess(port, Map.of());
    }

    private Process startServiceProcess(int port, Map<String, String> env) throws IOException, InterruptedException {
        Process process = ServiceProcess.start(dataDir, port, env);
        processes.add(process);
        return process;
    }
}
