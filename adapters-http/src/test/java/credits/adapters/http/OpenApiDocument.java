package credits.adapters.http;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The published OpenAPI document ({@code META-INF/openapi.yaml}, the file Helidon's OpenAPI feature
 * serves) as plain maps and lists, with local {@code $ref}s resolved on demand.
 */
final class OpenApiDocument {

    static final String RESOURCE = "META-INF/openapi.yaml";
    /** The keys of a path item that are operations (OpenAPI 3.0 "Path Item Object"). */
    static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final Map<String, Object> root;

    private OpenApiDocument(Map<String, Object> root) {
        this.root = root;
    }

    /** The document on the classpath, as the server will serve it. */
    static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AssertionError(RESOURCE + " is not on the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OpenApiDocument parse(InputStream yaml) {
        LoaderOptions options = new LoaderOptions();
        // A key written twice would silently hide one of the two definitions.
        options.setAllowDuplicateKeys(false);
        Object loaded = new Yaml(new SafeConstructor(options)).load(yaml);
        if (!(loaded instanceof Map<?, ?>)) {
            throw new AssertionError(RESOURCE + " is not a YAML mapping");
        }
        return new OpenApiDocument(map(loaded, "the document"));
    }

    Map<String, Object> root() {
        return root;
    }

    /** One operation of the document: its method (upper case), OpenAPI path and operation object. */
    record Operation(String method, String path, Map<String, Object> node) {

        OpenApiRoutes.Route route() {
            return new OpenApiRoutes.Route(method, path);
        }

        String name() {
            return method + " " + path;
        }
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, Object> path : map(root.get("paths"), "paths").entrySet()) {
            for (Map.Entry<String, Object> item : map(resolve(path.getValue()), path.getKey()).entrySet()) {
                if (OPERATION_KEYS.contains(item.getKey())) {
                    operations.add(new Operation(item.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                            map(item.getValue(), item.getKey() + " " + path.getKey())));
                }
            }
        }
        return operations;
    }

    Set<OpenApiRoutes.Route> routes() {
        Set<OpenApiRoutes.Route> routes = new TreeSet<>();
        operations().forEach(operation -> routes.add(operation.route()));
        return routes;
    }

    /** {@code node}, or what its {@code $ref} points at (followed until it is no reference). */
    Object resolve(Object node) {
        Object current = node;
        for (int hops = 0; current instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            if (hops > 20) {
                throw new AssertionError("$ref cycle at " + ref);
            }
            current = pointer(ref);
        }
        return current;
    }

    Map<String, Object> resolveMap(Object node, String what) {
        return map(resolve(node), what);
    }

    /** The node at a local reference {@code #/a/b/c}. */
    Object pointer(String ref) {
        if (!ref.startsWith("#/")) {
            throw new AssertionError("only local references are used in this document, not " + ref);
        }
        Object current = root;
        for (String token : ref.substring(2).split("/", -1)) {
            String key = token.replace("~1", "/").replace("~0", "~");
            if (!(current instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new AssertionError("unresolvable reference " + ref);
            }
            current = m.get(key);
        }
        return current;
    }

    /** The parameters of an operation and its path item, references resolved. */
    List<Map<String, Object>> parameters(Operation operation) {
        List<Map<String, Object>> parameters = new ArrayList<>();
        Map<String, Object> pathItem = map(resolve(map(root.get("paths"), "paths").get(operation.path())), operation.path());
        for (Object parameter : list(pathItem.get("parameters"))) {
            parameters.add(resolveMap(parameter, "parameter of " + operation.path()));
        }
        for (Object parameter : list(operation.node().get("parameters"))) {
            parameters.add(resolveMap(parameter, "parameter of " + operation.name()));
        }
        return parameters;
    }

    Optional<Map<String, Object>> parameter(Operation operation, String in, String name) {
        return parameters(operation).stream()
                .filter(p -> in.equals(p.get("in")) && name.equalsIgnoreCase(String.valueOf(p.get("name"))))
                .findFirst();
    }

    /** The operation's responses by status key ("200", "404", …), references resolved. */
    Map<String, Map<String, Object>> responses(Operation operation) {
        Map<String, Map<String, Object>> responses = new LinkedHashMap<>();
        map(operation.node().get("responses"), "responses of " + operation.name())
                .forEach((status, response) -> responses.put(status, resolveMap(response, status + " of " + operation.name())));
        return responses;
    }

    /** The examples of one media type: {@code example}, or the values of {@code examples} (references resolved). */
    List<Object> examples(Map<String, Object> mediaType) {
        List<Object> examples = new ArrayList<>();
        if (mediaType.containsKey("example")) {
            examples.add(mediaType.get("example"));
        }
        if (mediaType.get("examples") instanceof Map<?, ?> named) {
            for (Object example : named.values()) {
                examples.add(map(resolve(example), "example").get("value"));
            }
        }
        return examples;
    }

    /** The schema of a component, e.g. {@code schema("Problem")}. */
    Map<String, Object> schema(String name) {
        return resolveMap(pointer("#/components/schemas/" + name), name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError(what + " is not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    static List<Object> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> list)) {
            throw new AssertionError("not a list: " + node);
        }
        return new ArrayList<>(list);
    }
}
