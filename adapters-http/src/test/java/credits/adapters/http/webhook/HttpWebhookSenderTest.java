package credits.adapters.http.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import credits.adapters.http.support.LogCapture;
import credits.domain.CreditEvent;
import credits.domain.CreditEventType;
import credits.domain.DueDelivery;
import credits.domain.EndpointId;
import credits.domain.EventId;
import credits.domain.Usdc;
import credits.domain.UserId;
import credits.domain.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/** The sender against a real receiver on 127.0.0.1: what arrives, how the receiver checks it, and what no answer looks like. */
class HttpWebhookSenderTest {

    private static final Instant ATTEMPT = Instant.parse("2024-01-15T10:30:05.750Z");

    private final WebhookSecret secret = WebhookSecret.random();
    private final CreditEvent event = new CreditEvent(EventId.random(), CreditEventType.BALANCE_LOW, UserId.of("dev_42"),
            Usdc.parse("4"), Usdc.parse("4"), Optional.of(Usdc.parse("5")), Optional.empty(), Optional.empty(),
            Instant.parse("2024-01-15T10:30:00Z"));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final HttpWebhookSender sender = HttpWebhookSender.create();
    private HttpServer receiver;

    @AfterEach
    void stopReceiver() {
        sender.close();
        stop.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theEventArrivesAsJsonWithTheStandardWebhooksHeadersAndTheReceiverCanVerifyIt() throws Exception {
        URI url = receiver(204);

        Optional<Integer> status = sender.send(delivery(url), ATTEMPT);

        assertThat(status, is(Optional.of(204)));
        assertThat(received, hasSize(1));
        Received request = received.get(0);
        assertThat(request.method(), is("POST"));
        assertThat(request.header("Content-Type"), is("application/json"));
        assertThat(request.header("webhook-id"), is(event.id().toString()));
        assertThat(request.header("webhook-timestamp"), is("1705314605"));
        assertThat("the receiver's own check passes", request.header("webhook-signature"),
                is(expectedSignature(secret.text(), request.header("webhook-id"), request.header("webhook-timestamp"), request.body())));
        assertThat(new String(request.body(), StandardCharsets.UTF_8), is(new String(WebhookBody.bytes(event), StandardCharsets.UTF_8)));
    }

    @Test
    void aNon2xxIsAnsweredAsItsStatusAndLoggedWithoutTheSecretOrTheBody() throws Exception {
        URI url = receiver(500);

        try (LogCapture logs = LogCapture.of(HttpWebhookSender.class.getName(), Level.WARNING)) {
            assertThat(sender.send(delivery(url), ATTEMPT), is(Optional.of(500)));

            List<LogRecord> lines = logs.records();
            assertThat(lines, hasSize(1));
            String line = lines.get(0).getMessage();
            assertThat(line, containsString(event.id().toString()));
            assertThat(line, containsString("status 500"));
            assertThat(line, not(containsString(secret.text())));
            assertThat(line, not(containsString("dev_42")));
            assertThat(line, not(containsString(url.toString())));
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        URI elsewhere = receiver(200);
        HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", elsewhere.toString());
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirecting.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook");

            assertThat(sender.send(delivery(url), ATTEMPT), is(Optional.of(307)));
            assertThat(received, hasSize(0));
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void aReceiverThatNeverAnswersIsNoAnswerAfterTheTimeout() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            try {
                stop.await(); // holds the request until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        receiver.start();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

        long started = System.nanoTime();
        Optional<Integer> status;
        try (HttpWebhookSender quick = HttpWebhookSender.create(Duration.ofMillis(300))) {
            status = quick.send(delivery(url), ATTEMPT);
        }

        assertThat(status, is(Optional.empty()));
        assertThat(Duration.ofNanos(System.nanoTime() - started), lessThan(Duration.ofSeconds(5)));
    }

    @Test
    void aRefusedConnectionIsNoAnswerAndTheLogNamesTheException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (LogCapture logs = LogCapture.of(HttpWebhookSender.class.getName(), Level.WARNING)) {
            assertThat(sender.send(delivery(URI.create("http://127.0.0.1:" + closedPort + "/")), ATTEMPT), is(Optional.empty()));

            assertThat(logs.records().get(0).getMessage(), containsString("no answer (ConnectException)"));
        }
    }

    private DueDelivery delivery(URI url) {
        return new DueDelivery(event, EndpointId.random(), url, secret, 0);
    }

    private URI receiver(int status) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(Received.of(exchange));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/credits");
    }

    /** What a receiver does, from the Standard Webhooks definition alone: HMAC-SHA256 over id.timestamp.body. */
    private static String expectedSignature(String secretText, String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secretText.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private record Received(String method, Map<String, List<String>> headers, byte[] body) {

        static Received of(HttpExchange exchange) throws IOException {
            return new Received(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes());
        }

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> String.join(",", entry.getValue())).findFirst().orElse(null);
        }
    }
}
