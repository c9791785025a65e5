package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test-only stand-in for whatever sits between the browser and the service: it forwards every
 * request to the real service unchanged, and, when a test asks, alters what comes back — one
 * history entry's amount wherever it is served, or the answer to one POST lost after the service
 * acted on it. The browser loads the console through this origin, so the page's CSP
 * ({@code connect-src 'self'}) holds as in production. Nothing of this exists in the service.
 */
final class TamperingProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The JDK client sets these itself, or refuses them.
    private static final Set<String> NOT_FORWARDED = caseInsensitive("connection", "content-length", "host", "expect", "upgrade",
            "keep-alive", "transfer-encoding", "accept-encoding");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;
    private final AtomicReference<Tampering> tampering = new AtomicReference<>();
    private final AtomicReference<String> loseAnswerTo = new AtomicReference<>();

    private record Tampering(String entryId, String amount) {
    }

    private TamperingProxy(HttpServer server, String target) {
        this.server = server;
        this.target = target;
    }

    static TamperingProxy to(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TamperingProxy proxy = new TamperingProxy(http, "http://127.0.0.1:" + port);
        http.createContext("/", proxy::forward);
        http.setExecutor(proxy.executor);
        http.start();
        return proxy;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, the entry {@code entryId} is served with {@code amount} as its {@code amount_usdc}, hash unchanged. */
    void tamper(String entryId, String amount) {
        tampering.set(new Tampering(entryId, amount));
    }

    void stopTampering() {
        tampering.set(null);
    }

    /** The next POST to {@code path} reaches the service, but its answer is replaced by a 502 with no body. */
    void loseNextAnswerTo(String path) {
        loseAnswerTo.set(path);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(20))
                    .method(method, requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name)) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String path = exchange.getRequestURI().getPath();
            if (method.equals("POST") && path.equals(loseAnswerTo.getAndUpdate(lost -> path.equals(lost) ? null : lost))) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            byte[] body = altered(path, response.body());
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name) && !name.equals(":status")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] altered(String path, byte[] body) throws IOException {
        Tampering now = tampering.get();
        if (now == null || !path.endsWith("/transactions") || body.length == 0) {
            return body;
        }
        JsonNode page = JSON.readTree(body);
        boolean changed = false;
        for (JsonNode entry : page.path("data")) {
            if (entry.path("id").asText().equals(now.entryId())) {
                ((ObjectNode) entry).put("amount_usdc", now.amount());
                changed = true;
            }
        }
        return changed ? JSON.writeValueAsString(page).getBytes(StandardCharsets.UTF_8) : body;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
