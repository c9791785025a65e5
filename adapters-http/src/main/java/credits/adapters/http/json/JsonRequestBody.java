package credits.adapters.http.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldError;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A JSON request body, taken in two steps so the contract's order of checks holds: {@link #read}
 * refuses the wrong media type (415) and oversized bodies (413) before the idempotency key is looked
 * at, {@link #json()} refuses what is not one well-formed JSON value in UTF-8 (400) after it.
 */
public final class JsonRequestBody {

    /** The contract's limit (api.md, 413 PAYLOAD_TOO_LARGE). */
    public static final int MAX_BYTES = 64 * 1024;
    /** The whole-body member of {@code errors} when no single field is to blame. */
    public static final String BODY_FIELD = "body";

    private static final String APPLICATION_JSON = "application/json";
    // Duplicate keys would let two readers of one body see different requests; trailing data is not "one JSON value".
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private final byte[] bytes;

    private JsonRequestBody(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads the body, never more than {@link #MAX_BYTES} plus one byte of it, whatever the client
     * declares or streams.
     *
     * @throws ApiException 415 when the content type is not {@code application/json} (UTF-8), 413 when
     *                      the body is larger than the limit
     */
    public static JsonRequestBody read(ServerRequest request) {
        Headers headers = request.headers();
        requireJsonContentType(headers);
        OptionalLong declared = headers.contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BYTES) {
            throw tooLarge();
        }
        if (!request.content().hasEntity()) {
            return new JsonRequestBody(new byte[0]);
        }
        byte[] bytes;
        try (InputStream in = request.content().inputStream()) {
            // A chunked body has no declared length: stop one byte past the limit instead of buffering it all.
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        return new JsonRequestBody(bytes);
    }

    /**
     * The body as a JSON tree.
     *
     * @throws ApiException 400 VALIDATION_ERROR naming {@code body} when it is empty, not UTF-8, not
     *                      exactly one JSON value, or has a key twice in one object
     */
    public JsonNode json() {
        String text;
        try {
            // Decoded up front, strictly: Jackson would guess other encodings and let some bad sequences through.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalidBody("must be valid UTF-8");
        }
        if (text.isBlank()) {
            throw invalidBody("must be a JSON object; the body is empty");
        }
        if (!unicodeEscapesAreHex(text)) {
            throw invalidBody("must be well-formed JSON");
        }
        try {
            JsonNode node = READER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw invalidBody("must be a JSON object; the body is empty");
            }
            return node;
        } catch (StreamReadException e) {
            throw duplicateField(e).orElseGet(() -> invalidBody("must be well-formed JSON"));
        } catch (JacksonException e) {
            // Jackson's messages quote the input and name internal classes: never shown.
            throw invalidBody("must be well-formed JSON");
        }
    }

    /**
     * Whether every backslash-u escape has four ASCII hex digits. Jackson's parser over characters takes any
     * character whose low byte is a hex digit for one (U+3339 as "9"), so a malformed body would be read as
     * some other request instead of refused; MoneyMoveBodyProperties found it.
     */
    private static boolean unicodeEscapesAreHex(String text) {
        int i = text.indexOf('\\');
        while (i >= 0 && i + 1 < text.length()) {
            if (text.charAt(i + 1) == 'u') {
                for (int digit = i + 2; digit < Math.min(i + 6, text.length()); digit++) {
                    if (!HexFormat.isHexDigit(text.charAt(digit))) {
                        return false;
                    }
                }
            }
            // Escapes are read in pairs: the second backslash of an escaped backslash never starts one.
            i = text.indexOf('\\', i + 2);
        }
        return true;
    }

    /** A key repeated in the top-level object is named like any other bad field; deeper ones blame the body. */
    private static Optional<ApiException> duplicateField(StreamReadException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith("Duplicate field") || !(e.getProcessor() instanceof JsonParser parser)) {
            return Optional.empty();
        }
        JsonStreamContext object = parser.getParsingContext();
        if (object != null && object.getParent() != null && object.getParent().inRoot() && object.getCurrentName() != null) {
            return Optional.of(ApiException.validation(List.of(new FieldError(object.getCurrentName(), "must appear only once"))));
        }
        return Optional.of(invalidBody("must not have the same field twice in one object"));
    }

    /** {@code application/json}, any case, with optional parameters; a {@code charset} must be UTF-8. */
    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(APPLICATION_JSON)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                if (!parameter.isEmpty()) {
                    return false;
                }
                continue;
            }
            String name = parameter.substring(0, equals).strip();
            String value = unquoted(parameter.substring(equals + 1).strip());
            if (name.equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static void requireJsonContentType(Headers headers) {
        List<String> values = headers.all(HeaderNames.CONTENT_TYPE, List::of);
        if (values.size() != 1 || !isJson(values.getFirst())) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json in UTF-8");
        }
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body must be at most " + MAX_BYTES + " bytes");
    }

    static ApiException invalidBody(String message) {
        return ApiException.validation(List.of(new FieldError(BODY_FIELD, message)));
    }
}
