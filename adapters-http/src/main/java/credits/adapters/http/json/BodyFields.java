package credits.adapters.http.json;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.FieldErrors;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The members of a JSON object body, validated one by one: every bad field is recorded (unknown,
 * missing, null, not a string, refused by the domain) and reported together by {@link #throwIfInvalid()}.
 * The parse functions are the domain's own ({@code UserId::of}, {@code Usdc::parse}, …), so each rule
 * lives in one place.
 */
public final class BodyFields {

    private final JsonNode object;
    private final FieldErrors errors = new FieldErrors();

    private BodyFields(JsonNode object) {
        this.object = object;
    }

    /**
     * @param known the members this body may have; any other is an error
     * @throws ApiException 400 naming {@code body} when the JSON is not an object
     */
    public static BodyFields of(JsonNode body, Set<String> known) {
        if (!body.isObject()) {
            throw JsonRequestBody.invalidBody("must be a JSON object");
        }
        BodyFields fields = new BodyFields(body);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                fields.errors.add(name, "unknown field");
            }
        }
        return fields;
    }

    /** A string member that must be present and not null. */
    public <T> Optional<T> required(String name, Function<String, T> parse) {
        JsonNode value = object.get(name);
        if (value == null) {
            errors.add(name, "is required");
            return Optional.empty();
        }
        if (value.isNull()) {
            errors.add(name, "is required and must not be null");
            return Optional.empty();
        }
        return parsed(name, value, parse);
    }

    /** A string member that may be left out; {@code null} means left out, as in our responses. */
    public <T> Optional<T> optional(String name, Function<String, T> parse) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return parsed(name, value, parse);
    }

    /**
     * A string member that must be present but may be {@code null} (which clears what it sets): empty for
     * {@code null}, and for a missing or bad member, which is recorded.
     */
    public <T> Optional<T> requiredOrNull(String name, Function<String, T> parse) {
        JsonNode value = object.get(name);
        if (value == null) {
            errors.add(name, "is required (null, to clear it)");
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.empty();
        }
        return parsed(name, value, parse);
    }

    /**
     * An array of strings that may be left out ({@code null} means left out), handed to {@code parse} whole, in
     * order, so the rule for the list (not empty, no repeats) lives with the domain's parse.
     */
    public <T> Optional<T> optionalStrings(String name, Function<List<String>, T> parse) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            errors.add(name, "must be an array of strings, not " + kind(value));
            return Optional.empty();
        }
        List<String> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                errors.add(name, "must be an array of strings, not one holding " + kind(item));
                return Optional.empty();
            }
            items.add(item.textValue());
        }
        return errors.check(name, () -> parse.apply(List.copyOf(items)));
    }

    /**
     * A JSON integer member that may be left out ({@code null} means left out). {@code "50"} and {@code 1.5} are
     * refused, as are {@code 1.0} and {@code 1e2}: the contract asks for an integer, not for a number that is one.
     */
    public <T> Optional<T> optionalInteger(String name, IntFunction<T> parse) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber()) {
            errors.add(name, "must be a JSON integer, not " + (value.isNumber() ? "a fraction or exponent" : kind(value)));
            return Optional.empty();
        }
        if (!value.canConvertToInt()) {
            // Past int, so past any range an integer member of this API has: the parse function refuses the
            // nearest int, and its message names the range.
            int nearest = value.bigIntegerValue().signum() > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            return errors.check(name, () -> parse.apply(nearest));
        }
        return errors.check(name, () -> parse.apply(value.intValue()));
    }

    /** @throws ApiException 400 VALIDATION_ERROR naming every bad field */
    public void throwIfInvalid() {
        errors.throwIfAny();
    }

    private <T> Optional<T> parsed(String name, JsonNode value, Function<String, T> parse) {
        if (!value.isTextual()) {
            // Amounts in particular: a JSON number would already have passed through a double somewhere.
            errors.add(name, "must be a string, not " + kind(value));
            return Optional.empty();
        }
        return errors.check(name, () -> parse.apply(value.textValue()));
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case NUMBER -> "a JSON number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
