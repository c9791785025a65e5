package credits.adapters.http;

import credits.adapters.http.OpenApiDocument.Operation;
import credits.adapters.http.error.ErrorCode;
import io.helidon.http.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The OpenAPI document on its own: well-formed, self-consistent, and its examples true to its schemas and the contract. */
class OpenApiDocumentTest {

    /** The contract's grammar for amounts (shared/design/api.md, Conventions). */
    private static final Pattern CONTRACT_AMOUNT = Pattern.compile("^(0|[1-9][0-9]*)(\\.[0-9]{1,7})?$");
    /** The contract's output form: two to seven fraction digits, trailing zeros trimmed after the second. */
    private static final Pattern CANONICAL_AMOUNT = Pattern.compile("^(0|[1-9][0-9]*)\\.[0-9]{2}([0-9]{0,4}[1-9])?$");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();
    private static final OpenApiSchemas SCHEMAS = new OpenApiSchemas(DOCUMENT);

    @Test
    void theDocumentIsOpenApi3WithATitleAVersionAndADescription() {
        assertThat(String.valueOf(DOCUMENT.root().get("openapi")), startsWith("3."));
        Map<String, Object> info = OpenApiDocument.map(DOCUMENT.root().get("info"), "info");
        assertThat(info.get("title") instanceof String title && !title.isBlank(), is(true));
        assertThat(info.get("version"), is("1.0.0"));
        assertThat(info.get("description") instanceof String description && !description.isBlank(), is(true));
    }

    @Test
    void aKeyWrittenTwiceIsRefusedRatherThanSilentlyOverridden() {
        String yaml = "openapi: \"3.0.3\"\npaths: {}\npaths: {}\n";

        assertThrows(RuntimeException.class,
                () -> OpenApiDocument.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(DOCUMENT.root(), refs);

        assertThat(refs, not(empty()));
        refs.forEach(DOCUMENT::pointer);
    }

    @Test
    void everyOperationHasAUniqueIdASummaryAndOneOfTheDeclaredTags() {
        Set<Object> declared = new HashSet<>();
        for (Object tag : OpenApiDocument.list(DOCUMENT.root().get("tags"))) {
            declared.add(OpenApiDocument.map(tag, "tag").get("name"));
        }
        assertThat(declared, containsInAnyOrder("balance", "ledger", "lots", "holds", "admin", "alerts", "webhooks"));

        Set<Object> ids = new HashSet<>();
        for (Operation operation : DOCUMENT.operations()) {
            assertThat("duplicate operationId " + operation.name(), ids.add(operation.node().get("operationId")), is(true));
            assertThat(operation.name(), operation.node().get("summary") instanceof String, is(true));
            List<Object> tags = OpenApiDocument.list(operation.node().get("tags"));
            assertThat(operation.name(), tags.size(), is(1));
            assertThat(operation.name(), declared, hasItem(tags.getFirst()));
        }
    }

    @Test
    void everyPathTemplateParameterIsDeclaredAsARequiredPathParameter() {
        for (Operation operation : DOCUMENT.operations()) {
            Set<String> inTemplate = new TreeSet<>();
            Matcher matcher = TEMPLATE_PARAMETER.matcher(operation.path());
            while (matcher.find()) {
                inTemplate.add(matcher.group(1));
            }
            Set<String> declared = new TreeSet<>();
            for (Map<String, Object> parameter : DOCUMENT.parameters(operation)) {
                if ("path".equals(parameter.get("in"))) {
                    assertThat(operation.name(), parameter.get("required"), is(true));
                    declared.add(String.valueOf(parameter.get("name")));
                }
            }
            assertThat(operation.name(), declared, is(inTemplate));
        }
    }

    @Test
    void theHistoryParametersAreTheContractsLimitAndOpaqueCursor() {
        Map<String, Object> limit = DOCUMENT.resolveMap(DOCUMENT.pointer("#/components/parameters/Limit"), "Limit");
        Map<String, Object> schema = OpenApiDocument.map(limit.get("schema"), "Limit schema");
        assertThat(schema.get("type"), is("integer"));
        assertThat(schema.get("minimum"), is(1));
        assertThat(schema.get("maximum"), is(200));
        assertThat(schema.get("default"), is(50));
        Map<String, Object> cursor = DOCUMENT.resolveMap(DOCUMENT.pointer("#/components/parameters/Cursor"), "Cursor");
        assertThat(OpenApiDocument.map(cursor.get("schema"), "Cursor schema").get("type"), is("string"));
    }

    @Test
    void requestBodiesAreStrictAndTheirAmountsAreStringsOfTheContractsGrammar() {
        for (String name : List.of("GrantRequest", "TopupRequest", "DeductionRequest", "RefundRequest", "HoldRequest", "CaptureRequest")) {
            Map<String, Object> schema = DOCUMENT.schema(name);
            assertThat(name, schema.get("additionalProperties"), is(false));
            Map<String, Object> amount = DOCUMENT.resolveMap(
                    OpenApiDocument.map(schema.get("properties"), name).get("amount_usdc"), name + ".amount_usdc");
            assertThat(name, amount.get("type"), is("string"));
            assertThat(name, amount.get("pattern"), is(CONTRACT_AMOUNT.pattern()));
        }
    }

    @Test
    void everyExampleConformsToItsSchema() {
        List<String> violations = new ArrayList<>();
        for (Operation operation : DOCUMENT.operations()) {
            for (Map<String, Object> parameter : DOCUMENT.parameters(operation)) {
                if (parameter.containsKey("example")) {
                    violations.addAll(SCHEMAS.violations(parameter.get("schema"), parameter.get("example"),
                            operation.name() + " parameter " + parameter.get("name")));
                }
            }
            if (operation.node().containsKey("requestBody")) {
                Map<String, Object> body = DOCUMENT.resolveMap(operation.node().get("requestBody"), "request body");
                violations.addAll(mediaExampleViolations(OpenApiDocument.map(body.get("content"), "content"),
                        operation.name() + " request"));
            }
            // A response without a body (a 204) has no examples to hold to a schema.
            DOCUMENT.responses(operation).forEach((status, response) -> {
                if (response.containsKey("content")) {
                    violations.addAll(mediaExampleViolations(OpenApiDocument.map(response.get("content"), "content"),
                            operation.name() + " " + status));
                }
            });
        }
        Map<String, Object> schemas = OpenApiDocument.map(
                OpenApiDocument.map(DOCUMENT.root().get("components"), "components").get("schemas"), "schemas");
        schemas.forEach((name, schema) -> schemaExampleViolations(schema, name, violations));

        assertThat(violations, empty());
    }

    @Test
    void everyAmountInAnExampleIsAContractAmountAndResponsesShowItsCanonicalForm() {
        List<String> amounts = new ArrayList<>();
        for (Operation operation : DOCUMENT.operations()) {
            if (operation.node().containsKey("requestBody")) {
                Map<String, Object> body = DOCUMENT.resolveMap(operation.node().get("requestBody"), "request body");
                for (Object media : OpenApiDocument.map(body.get("content"), "content").values()) {
                    for (Object example : DOCUMENT.examples(OpenApiDocument.map(media, "media"))) {
                        checkAmounts(example, CONTRACT_AMOUNT, operation.name() + " request", amounts);
                    }
                }
            }
            DOCUMENT.responses(operation).forEach((status, response) -> {
                if (status.startsWith("2") && response.containsKey("content")) {
                    for (Object media : OpenApiDocument.map(response.get("content"), "content").values()) {
                        for (Object example : DOCUMENT.examples(OpenApiDocument.map(media, "media"))) {
                            checkAmounts(example, CONTRACT_AMOUNT, operation.name() + " " + status, amounts);
                            checkAmounts(example, CANONICAL_AMOUNT, operation.name() + " " + status, amounts);
                        }
                    }
                }
            });
        }

        assertThat("amounts were found in the examples", amounts.stream().filter(a -> a.startsWith("ok")).count() > 0, is(true));
        assertThat(amounts.stream().filter(a -> !a.startsWith("ok")).toList(), empty());
    }

    @Test
    void everyProblemExampleCarriesTheStatusOfItsResponseAndACodeThatTravelsWithThatStatus() {
        for (Operation operation : DOCUMENT.operations()) {
            DOCUMENT.responses(operation).forEach((status, response) -> {
                int code = Integer.parseInt(status);
                if (code < 400) {
                    return;
                }
                Map<String, Object> media = OpenApiDocument.map(
                        OpenApiDocument.map(response.get("content"), "content").get("application/problem+json"), "problem+json");
                for (Object example : DOCUMENT.examples(media)) {
                    Map<String, Object> problem = OpenApiDocument.map(example, "problem example");
                    String where = operation.name() + " " + status + " " + problem.get("code");
                    assertThat(where, problem.get("status"), is(code));
                    assertThat(where, ErrorCode.valueOf(String.valueOf(problem.get("code"))).status(), is(code));
                    assertThat(where, problem.get("title"), is(Status.create(code).reasonPhrase()));
                    assertThat(where, problem.get("type"), is("about:blank"));
                }
            });
        }
    }

    private List<String> mediaExampleViolations(Map<String, Object> content, String where) {
        List<String> violations = new ArrayList<>();
        content.forEach((type, media) -> {
            Map<String, Object> mediaType = OpenApiDocument.map(media, type);
            for (Object example : DOCUMENT.examples(mediaType)) {
                violations.addAll(SCHEMAS.violations(mediaType.get("schema"), example, where + " " + type));
            }
        });
        return violations;
    }

    /** A schema's own {@code example}, and those of its properties and items, against that schema. */
    private void schemaExampleViolations(Object node, String where, List<String> violations) {
        if (!(node instanceof Map<?, ?>)) {
            return;
        }
        Map<String, Object> schema = OpenApiDocument.map(node, where);
        if (schema.containsKey("example")) {
            violations.addAll(SCHEMAS.violations(schema, schema.get("example"), where + " example"));
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> schemaExampleViolations(property, where + "." + name, violations));
        }
        schemaExampleViolations(schema.get("items"), where + "[]", violations);
    }

    /** Records "ok …" or the offending member for every {@code *_usdc} member, at any depth. */
    private static void checkAmounts(Object value, Pattern pattern, String where, List<String> out) {
        if (value instanceof Map<?, ?> object) {
            object.forEach((name, member) -> {
                if (String.valueOf(name).endsWith("_usdc") && member != null) {
                    boolean ok = member instanceof String text && pattern.matcher(text).matches();
                    out.add((ok ? "ok " : "") + where + "." + name + " = " + member + (ok ? "" : " does not match " + pattern));
                } else {
                    checkAmounts(member, pattern, where + "." + name, out);
                }
            });
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                checkAmounts(items.get(i), pattern, where + "[" + i + "]", out);
            }
        }
    }

    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    refs.add(String.valueOf(value));
                } else {
                    collectRefs(value, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectRefs(item, refs));
        }
    }
}
