package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Probes, metrics and the API document on the running service: at exactly the documented paths,
 * without a token, once each; Helidon's default {@code /observe/...} paths are not served.
 */
class ObservabilityEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningService service = RunningService.embedded();

    @Test
    void livenessIsUpWithoutAToken() throws Exception {
        ApiClient.Response live = get("/health/live", Map.of());

        assertThat(live.status(), is(200));
        assertThat(JSON.readTree(live.raw().body()).get("status").asText(), is("UP"));
    }

    @Test
    void readinessIsUpWhileTheDatabaseAnswers() throws Exception {
        ApiClient.Response ready = get("/health/ready", Map.of());

        assertThat(ready.status(), is(200));
        JsonNode body = JSON.readTree(ready.raw().body());
        assertThat(body.get("status").asText(), is("UP"));
        assertThat(body.get("checks").get(0).get("name").asText(), is("database"));
        assertThat(body.toString(), body.get("checks").get(0).get("data").get("schema").asText().matches("[0-9]+"), is(true));
    }

    @Test
    void metricsArePrometheusTextWithThePoolGaugesAndJvmMeters() {
        service.api().getAs("metrics_user", "/api/billing/credits"); // something for the request meters to count

        ApiClient.Response metrics = get("/metrics", Map.of());

        assertThat(metrics.status(), is(200));
        assertThat(metrics.header("Content-Type"), startsWith("text/plain"));
        String text = metrics.raw().body();
        assertThat(text, sampleLine(text, "credits_db_pool_active").matches("[0-9.E]+"), is(true));
        assertThat(text, containsString("credits_db_pool_idle{"));
        assertThat(text, containsString("credits_db_pool_pending{"));
        assertThat(Double.parseDouble(sampleLine(text, "credits_db_pool_total")) >= 1, is(true));
        assertThat("the balance read above went through a read lane",
                Double.parseDouble(sampleLine(text, "credits_db_read_batch_requests")) >= 1, is(true));
        assertThat(Double.parseDouble(sampleLine(text, "credits_db_read_batches")) >= 1, is(true));
        assertThat(text, containsString("credits_db_move_batches{"));
        assertThat(text, containsString("credits_db_move_batch_requests{"));
        assertThat("Helidon's own request counter is excluded: the adapter measures requests", text,
                not(containsString("requests_count")));
        assertThat(text, containsString("memory_usedHeap_bytes{"));
        assertThat(text, containsString("thread_count{"));
    }

    @Test
    void theOpenApiDocumentIsYamlByDefaultAndJsonWhenAskedFor() throws Exception {
        ApiClient.Response yaml = get("/openapi", Map.of());
        ApiClient.Response json = get("/openapi", Map.of("Accept", "application/json"));

        assertThat(yaml.status(), is(200));
        // application/vnd.oai.openapi is the OpenAPI media type for YAML (its JSON form is ...+json).
        assertThat(yaml.header("Content-Type"), startsWith("application/vnd.oai.openapi"));
        assertThat("the document starts with its OpenAPI version", yaml.raw().body().matches("(?s)(#[^\\n]*\\n)*openapi: \"?3\\..*"), is(true));
        assertThat(json.status(), is(200));
        assertThat(json.header("Content-Type"), startsWith("application/json"));
        assertThat(JSON.readTree(json.raw().body()).get("openapi").asText(), startsWith("3."));
        assertThat(JSON.readTree(json.raw().body()).get("paths").has("/api/billing/credits"), is(true));
    }

    @Test
    void helidonsDefaultObservePathsAreNotServedAndUnknownPathsStayProblemJson() {
        for (String path : new String[] {"/observe/health", "/observe/metrics", "/observe", "/health/nope", "/metricsx"}) {
            ApiClient.Response response = get(path, Map.of());

            assertThat(path, response.status(), is(404));
            assertThat(path, response.header("Content-Type"), startsWith("application/problem+json"));
            assertThat(path, response.text("code"), is("NOT_FOUND"));
        }
    }

    @Test
    void probesCarryARequestIdButNeverAskForCredentials() {
        for (String path : new String[] {"/health/live", "/health/ready", "/metrics", "/openapi"}) {
            ApiClient.Response response = get(path, Map.of());

            assertThat(path, response.status(), is(200));
            assertThat(path, response.header("WWW-Authenticate"), is((String) null));
            assertThat(path, response.header("X-Request-Id"), not(is((String) null)));
        }
    }

    @Test
    void theInMemoryStoreIsAlwaysReady(@TempDir Path memoryDir) throws Exception {
        try (CreditsServer memory = CreditsServer.start(TestSettings.memory(memoryDir))) {
            ApiClient.Response ready = new ApiClient(memory.port(), TestSettings.SECRET)
                    .send(HttpRequest.newBuilder(new ApiClient(memory.port(), TestSettings.SECRET).uri("/health/ready")).GET());

            assertThat(ready.status(), is(200));
            assertThat(JSON.readTree(ready.raw().body()).get("checks").get(0).get("data").get("store").asText(), is("memory"));
        }
    }

    /** The value of the first sample of {@code meter} in Prometheus text ({@code name{tags} value}). */
    private static String sampleLine(String text, String meter) {
        return text.lines().filter(line -> line.startsWith(meter + "{") || line.startsWith(meter + " "))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst().orElseThrow(() -> new AssertionError(meter + " not in:\n" + text));
    }

    private static ApiClient.Response get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.api().uri(path)).GET();
        headers.forEach(request::header);
        return service.api().send(request);
    }
}
