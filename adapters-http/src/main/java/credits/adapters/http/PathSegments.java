package credits.adapters.http;

import credits.domain.InvalidValueException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Percent-decoding of one raw path segment, strictly: Helidon decodes path parameters leniently
 * (invalid UTF-8 becomes U+FFFD), which would turn a malformed id into some other, valid-looking one.
 */
final class PathSegments {

    private static final String MESSAGE = "must be percent-encoded UTF-8";

    private PathSegments() {
    }

    /** @throws InvalidValueException when an escape is malformed or the bytes are not UTF-8 */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(plain, 0, plain.length);
                continue;
            }
            if (i + 2 >= raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                throw new InvalidValueException(MESSAGE);
            }
            bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidValueException(MESSAGE);
        }
    }
}
