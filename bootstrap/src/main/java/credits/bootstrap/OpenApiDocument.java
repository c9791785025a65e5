package credits.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.helidon.openapi.OpenApiFormat;
import io.helidon.openapi.OpenApiManager;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the OpenAPI document as it is written: YAML exactly as authored (comments and key order
 * kept), and JSON converted by Jackson. Helidon's default manager re-dumps both through SnakeYAML,
 * and its JSON comes out invalid wherever the document has a {@code null} (e.g. an example whose
 * {@code reference} is null becomes {@code !!null "null"}).
 */
final class OpenApiDocument implements OpenApiManager<OpenApiDocument.Loaded> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The authored text and its parsed tree. */
    record Loaded(String yaml, Object tree) {
    }

    @Override
    public String name() {
        return "credits";
    }

    @Override
    public String type() {
        return "credits";
    }

    @Override
    public Loaded load(String content) {
        if (content == null || content.isBlank()) {
            // No document on the classpath: serve an empty one rather than fail the start.
            return new Loaded("{}\n", Map.of());
        }
        Object tree = new Yaml(new TimestampsAsText(new LoaderOptions())).load(content);
        return new Loaded(content, tree == null ? Map.of() : tree);
    }

    @Override
    public String format(Loaded model, OpenApiFormat format) {
        if (format == OpenApiFormat.JSON) {
            try {
                return JSON.writeValueAsString(model.tree());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model.yaml();
    }

    /** YAML 1.1 reads an unquoted date-time as a timestamp; in an API document it is example text. */
    private static final class TimestampsAsText extends SafeConstructor {
        TimestampsAsText(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }
    }
}
