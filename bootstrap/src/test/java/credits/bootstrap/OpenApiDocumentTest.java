package credits.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.openapi.OpenApiFormat;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = """
            # authored comment
            openapi: 3.0.3
            info: {title: Credits API, version: 1.0.0}
            components:
              examples:
                grant:
                  value:
                    reference: null
                    amount_usdc: "25.50"
                    created_at: 2024-01-20T14:22:00.000Z
                    count: 3
            """;

    private final OpenApiDocument manager = new OpenApiDocument();

    @Test
    void yamlIsServedExactlyAsAuthored() {
        assertThat(manager.format(manager.load(DOCUMENT), OpenApiFormat.YAML), is(DOCUMENT));
    }

    @Test
    void jsonIsValidWithNullsNumbersAndDateTimesKeptAsText() throws Exception {
        JsonNode json = JSON.readTree(manager.format(manager.load(DOCUMENT), OpenApiFormat.JSON));

        JsonNode value = json.at("/components/examples/grant/value");
        assertThat(value.get("reference").isNull(), is(true));
        assertThat(value.get("amount_usdc").asText(), is("25.50"));
        assertThat(value.get("created_at").asText(), is("2024-01-20T14:22:00.000Z"));
        assertThat(value.get("count").asInt(), is(3));
        assertThat(json.get("openapi").asText(), is("3.0.3"));
    }

    @Test
    void aMissingDocumentIsServedEmptyInsteadOfStoppingTheService() throws Exception {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .featuresDiscoverServices(false)
                .addFeature(Observability.openApi(Optional.of("META-INF/no-such-openapi.yaml")))
                .build()
                .start();
        try {
            ApiClient api = new ApiClient(server.port(), TestSettings.SECRET);

            ApiClient.Response yaml = api.send(HttpRequest.newBuilder(api.uri("/openapi")).GET());
            ApiClient.Response json = api.send(HttpRequest.newBuilder(api.uri("/openapi")).header("Accept", "application/json").GET());

            assertThat(yaml.status(), is(200));
            assertThat(yaml.raw().body(), is("{}\n"));
            assertThat(json.status(), is(200));
            assertThat(JSON.readTree(json.raw().body()).isObject(), is(true));
        } finally {
            server.stop();
        }
    }
}
