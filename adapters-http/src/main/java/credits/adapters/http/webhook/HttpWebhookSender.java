package credits.adapters.http.webhook;

import credits.application.port.out.WebhookSender;
import credits.domain.DueDelivery;

import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers an event with the JDK's {@link HttpClient}: a POST of its JSON body with the Standard
 * Webhooks headers, signed for this attempt. Redirects are not followed (a 3xx is a failed attempt:
 * the signed request goes only where the admin pointed it). The answer gets {@code timeout}, the
 * whole exchange (body included) half a second more; then it is abandoned. Each failed attempt is logged in one line naming the
 * endpoint and the event, never the secret, the body or the URL (which may carry a token).
 */
public final class HttpWebhookSender implements WebhookSender, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HttpWebhookSender.class.getName());

    private static final Duration BODY_GRACE = Duration.ofMillis(500);

    private final HttpClient client;
    private final Duration timeout;

    private HttpWebhookSender(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    public static HttpWebhookSender create() {
        return create(TIMEOUT);
    }

    /** With another timeout (tests). */
    public static HttpWebhookSender create(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                // Receivers are often small internal services: plain HTTP/1.1, no h2c upgrade attempt.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        return new HttpWebhookSender(client, timeout);
    }

    @Override
    public Optional<Integer> send(DueDelivery delivery, Instant at) {
        String id = delivery.event().id().toString();
        long timestamp = at.getEpochSecond();
        byte[] body = WebhookBody.bytes(delivery.event());
        HttpRequest request = HttpRequest.newBuilder(delivery.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "credits-webhooks")
                .header(WebhookSignature.ID_HEADER, id)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(delivery.secret(), id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // A little past the request's own timeout (which ends at the answer's headers), so that a body
            // trickling in forever is abandoned too.
            int status = exchange.get(timeout.plus(BODY_GRACE).toMillis(), TimeUnit.MILLISECONDS).statusCode();
            if (status < 200 || status > 299) {
                logFailure(delivery, "status " + status);
            }
            return Optional.of(status);
        } catch (ExecutionException e) {
            logFailure(delivery, "no answer (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (TimeoutException e) {
            exchange.cancel(true);
            logFailure(delivery, "no answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            logFailure(delivery, "no answer (interrupted)");
        }
        return Optional.empty();
    }

    /** Abandons exchanges in flight and stops the client's threads. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    private static void logFailure(DueDelivery delivery, String what) {
        LOG.log(Level.WARNING, "Webhook attempt failed: endpoint " + delivery.endpointId() + ", event " + delivery.event().id()
                + ", attempt " + (delivery.attemptsBefore() + 1) + ", " + what);
    }
}
