package credits.adapters.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a value (from YAML or JSON: maps, lists, strings, numbers, booleans, null) against an OpenAPI 3.0
 * schema of the document. Only the keywords this document uses are understood: {@code $ref}, {@code allOf},
 * {@code type}, {@code nullable}, {@code enum}, {@code pattern}, {@code minLength}, {@code maxLength},
 * {@code minimum}, {@code maximum}, {@code format: uuid}, {@code required}, {@code properties},
 * {@code additionalProperties: false} and {@code items}. Any other keyword fails the check, so the
 * document cannot outgrow what its tests understand without anyone noticing.
 */
final class OpenApiSchemas {

    private static final Pattern UUID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final List<String> UNDERSTOOD = List.of("$ref", "allOf", "minItems", "uniqueItems", "type", "nullable", "enum", "pattern",
            "minLength", "maxLength", "minimum", "maximum", "default", "format", "required", "properties",
            "additionalProperties", "items", "description", "example", "x-extensible-enum");

    private final OpenApiDocument document;

    OpenApiSchemas(OpenApiDocument document) {
        this.document = document;
    }

    /** Every way {@code value} breaks {@code schema}, each prefixed with where in the value; empty when it conforms. */
    List<String> violations(Object schema, Object value, String where) {
        List<String> violations = new ArrayList<>();
        check(schema, value, where, violations);
        return violations;
    }

    private void check(Object schemaNode, Object value, String where, List<String> out) {
        Map<String, Object> schema = document.resolveMap(schemaNode, "schema at " + where);
        for (String keyword : schema.keySet()) {
            if (!UNDERSTOOD.contains(keyword)) {
                out.add(where + ": schema keyword '" + keyword + "' is not understood by this check");
            }
        }
        for (Object part : OpenApiDocument.list(schema.get("allOf"))) {
            check(part, value, where, out);
        }
        if (value == null) {
            if (schema.containsKey("type") && !Boolean.TRUE.equals(schema.get("nullable"))) {
                out.add(where + ": null is not allowed");
            }
            return;
        }
        Object type = schema.get("type");
        if (type != null && !hasType(value, (String) type)) {
            out.add(where + ": expected " + type + ", got " + value.getClass().getSimpleName() + " " + value);
            return;
        }
        if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
            out.add(where + ": " + value + " is not one of " + allowed);
        }
        if (value instanceof String text) {
            checkString(schema, text, where, out);
        }
        if (value instanceof Number number) {
            if (schema.get("minimum") instanceof Number min && number.doubleValue() < min.doubleValue()) {
                out.add(where + ": " + number + " is less than " + min);
            }
            if (schema.get("maximum") instanceof Number max && number.doubleValue() > max.doubleValue()) {
                out.add(where + ": " + number + " is more than " + max);
            }
        }
        if (value instanceof Map<?, ?> object) {
            checkObject(schema, object, where, out);
        }
        if (value instanceof List<?> items && schema.get("minItems") instanceof Integer min && items.size() < min) {
            out.add(where + ": " + items.size() + " items, fewer than " + min);
        }
        if (value instanceof List<?> items && Boolean.TRUE.equals(schema.get("uniqueItems")) && Set.copyOf(items).size() != items.size()) {
            out.add(where + ": an item appears twice");
        }
        if (value instanceof List<?> items && schema.containsKey("items")) {
            for (int i = 0; i < items.size(); i++) {
                check(schema.get("items"), items.get(i), where + "[" + i + "]", out);
            }
        }
    }

    private static void checkString(Map<String, Object> schema, String text, String where, List<String> out) {
        int length = text.codePointCount(0, text.length());
        if (schema.get("minLength") instanceof Integer min && length < min) {
            out.add(where + ": shorter than " + min);
        }
        if (schema.get("maxLength") instanceof Integer max && length > max) {
            out.add(where + ": longer than " + max);
        }
        if (schema.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(text).find()) {
            out.add(where + ": \"" + text + "\" does not match " + pattern);
        }
        if ("uuid".equals(schema.get("format")) && !UUID.matcher(text).matches()) {
            out.add(where + ": \"" + text + "\" is not a lower-case UUID");
        }
    }

    private void checkObject(Map<String, Object> schema, Map<?, ?> object, String where, List<String> out) {
        for (Object required : OpenApiDocument.list(schema.get("required"))) {
            if (!object.containsKey(required)) {
                out.add(where + ": required member '" + required + "' is missing");
            }
        }
        Map<String, Object> properties = schema.containsKey("properties")
                ? OpenApiDocument.map(schema.get("properties"), "properties at " + where)
                : Map.of();
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String name = String.valueOf(member.getKey());
            if (properties.containsKey(name)) {
                check(properties.get(name), member.getValue(), where + "." + name, out);
            } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                out.add(where + ": member '" + name + "' is not allowed");
            }
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "object" -> value instanceof Map<?, ?>;
            case "array" -> value instanceof List<?>;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "number" -> value instanceof Number;
            default -> throw new AssertionError("unknown schema type " + type);
        };
    }
}
