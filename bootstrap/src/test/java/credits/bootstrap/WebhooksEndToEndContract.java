package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import credits.adapters.http.webhook.WebhookMetrics;
import credits.domain.EndpointId;
import credits.domain.RetrySchedule;
import credits.domain.Usdc;
import credits.domain.WebhookSecret;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Webhooks on the running service, for each store: a deduction that crosses the default threshold
 * reaches a receiver on 127.0.0.1, signed, within seconds; retries follow the schedule on the
 * service's clock (moved by the test, never waited for); a deleted endpoint gets nothing more; and
 * the delivery meters are on {@code /metrics}. One service per class: each test has its own users
 * and endpoints, and deletes its endpoints when done so the next test's passes are its own.
 */
abstract class WebhooksEndToEndContract {

    static final Duration WITHIN = Duration.ofSeconds(10);
    static final RetrySchedule RETRIES = RetrySchedule.seconds(List.of(5L, 300L));
    static final Optional<Usdc> DEFAULT_THRESHOLD = Optional.of(Usdc.parse("5.00"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HttpServer> receivers = new ArrayList<>();
    private final List<EndpointId> endpoints = new ArrayList<>();
    private CreditsServer server;
    private ApiClient api;

    /** The service under test, started with {@link #RETRIES} and {@link #DEFAULT_THRESHOLD} on {@link #clock()}. */
    abstract RunningService service();

    abstract MovableClock clock();

    @BeforeEach
    void connect() {
        server = service().server();
        api = service().api();
    }

    @AfterEach
    void stop() {
        endpoints.forEach(endpoint -> server.webhooks().deleteEndpoint(endpoint, clock().instant())); // gone already or not
        receivers.forEach(receiver -> receiver.stop(0));
    }

    @Test
    void aDeductionCrossingTheDefaultThresholdReachesTheReceiverSignedWithinSeconds() throws Exception {
        Receiver receiver = receiver(() -> 204);
        WebhookSecret secret = endpoint(receiver).secret();

        api.grant("wh_alice", "10");
        deduct("wh_alice", "6");

        Awaitility.await().atMost(WITHIN).until(() -> receiver.received.size() == 1);
        Received low = receiver.received.get(0);
        JsonNode body = JSON.readTree(low.body());
        assertThat(body.get("type").asText(), is("balance.low"));
        assertThat(body.get("data").get("user_id").asText(), is("wh_alice"));
        assertThat(body.get("data").get("available_usdc").asText(), is("4.00"));
        assertThat(body.get("data").get("threshold_usdc").asText(), is("5.00"));
        assertThat(low.id(), is(body.get("id").asText()));
        assertThat("the receiver can check it with the endpoint's secret", low.signature(),
                is(signature(secret, low.id(), low.timestamp(), low.body())));
    }

    @Test
    void aReceiverThatAnswers500TwiceGetsTheThirdAttemptOnTheSchedule() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Receiver receiver = receiver(() -> calls.incrementAndGet() <= 2 ? 500 : 200);
        EndpointId endpoint = endpoint(receiver).id();
        api.grant("wh_bob", "10");
        deduct("wh_bob", "6");

        Awaitility.await().atMost(WITHIN).until(() -> receiver.received.size() == 1);
        clock().advance(Duration.ofSeconds(5));
        Awaitility.await().atMost(WITHIN).until(() -> receiver.received.size() == 2);
        clock().advance(Duration.ofSeconds(300));
        Awaitility.await().atMost(WITHIN).until(() -> api.get(admin(), "/api/admin/billing/webhooks/" + endpoint + "/deliveries")
                .json().get("data").get(0).get("status").asText().equals("delivered"));

        assertThat(receiver.received, hasSize(3));
        assertThat("one event, three attempts", receiver.received.stream().map(Received::id).distinct().count(), is(1L));
    }

    @Test
    void aDeletedEndpointGetsNothingMoreWhileTheOthersGoOn() throws Exception {
        Receiver deletedReceiver = receiver(() -> 500);
        Receiver keptReceiver = receiver(() -> 500);
        EndpointId deleted = endpoint(deletedReceiver).id();
        endpoint(keptReceiver);
        api.grant("wh_carol", "10");
        deduct("wh_carol", "6");
        Awaitility.await().atMost(WITHIN).until(() -> deletedReceiver.received.size() == 1 && keptReceiver.received.size() == 1);

        delete(deleted);
        clock().advance(Duration.ofSeconds(5));

        // The retry of both was due in the same pass: once the kept endpoint has it, the deleted one would have too.
        Awaitility.await().atMost(WITHIN).until(() -> keptReceiver.received.size() == 2);
        assertThat(deletedReceiver.received, hasSize(1));
    }

    @Test
    void theDeliveryMetersAreScrapedFromMetrics() throws Exception {
        Receiver receiver = receiver(() -> 200);
        endpoint(receiver);
        api.grant("wh_dave", "10");
        deduct("wh_dave", "6");
        Awaitility.await().atMost(WITHIN).until(() -> receiver.received.size() == 1);

        String metrics = api.send(HttpRequest.newBuilder(api.uri("/metrics")).GET()).raw().body();

        assertThat(metrics, containsString(WebhookMetrics.PENDING));
        assertThat(metrics, containsString("credits_webhook_deliveries_total{outcome=\"delivered\""));
        assertThat(metrics, containsString("credits_webhook_deliveries_total{outcome=\"failed\""));
        assertThat(metrics, containsString("credits_webhook_failed_attempts_total"));
        assertThat(metrics, containsString("credits_webhook_delivery_latency_seconds_bucket"));
    }

    private void deduct(String user, String amount) {
        ApiClient.Response deduction = api.post(api.tokenFor("meter_gateway", "credits:meter"), "/api/billing/credits/deductions",
                UUID.randomUUID().toString(), "{\"user_id\":\"" + user + "\",\"amount_usdc\":\"" + amount
                        + "\"}");
        assertThat(deduction.raw().body(), deduction.status(), is(201));
    }

    /** Registers {@code receiver} for {@code balance.low} through the admin route; the secret is the one it shows once. */
    private Endpoint endpoint(Receiver receiver) {
        ApiClient.Response created = api.post(admin(), "/api/admin/billing/webhooks", null,
                "{\"url\":\"" + receiver.url + "\",\"events\":[\"balance.low\"]}");
        assertThat(created.raw().body(), created.status(), is(201));
        Endpoint endpoint = new Endpoint(EndpointId.find(created.text("id")).orElseThrow(), WebhookSecret.parse(created.text("secret")));
        endpoints.add(endpoint.id());
        return endpoint;
    }

    private void delete(EndpointId endpoint) {
        ApiClient.Response deleted = api.send(HttpRequest.newBuilder(api.uri("/api/admin/billing/webhooks/" + endpoint))
                .header("Authorization", "Bearer " + admin()).DELETE());
        assertThat(deleted.status(), is(204));
    }

    private String admin() {
        return api.tokenFor("e2e_admin", "credits:admin");
    }

    private Receiver receiver(IntSupplier status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Received> received = new CopyOnWriteArrayList<>();
        http.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status.getAsInt(), -1);
            exchange.close();
        });
        http.start();
        receivers.add(http);
        return new Receiver(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/hook"), received);
    }

    /** A receiver's check, from the Standard Webhooks definition alone. */
    static String signature(WebhookSecret secret, String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.text().substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)));
    }

    private record Receiver(URI url, List<Received> received) {
    }

    private record Endpoint(EndpointId id, WebhookSecret secret) {
    }

    private record Received(String id, String timestamp, String signature, byte[] body) {
    }
}
