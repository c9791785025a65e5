package credits.adapters.http;

import credits.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathSegmentsTest {

    @Test
    void percentEscapesDecodeAsUtf8() {
        assertThat(PathSegments.decode("user_123"), is("user_123"));
        assertThat(PathSegments.decode("a%20b"), is("a b"));
        assertThat(PathSegments.decode("auth0%7C42"), is("auth0|42"));
        assertThat(PathSegments.decode("caf%C3%A9"), is("café"));
        assertThat(PathSegments.decode("100%25"), is("100%"));
        // "+" is a plus in a path, not a space.
        assertThat(PathSegments.decode("a+b"), is("a+b"));
    }

    @Test
    void malformedEscapesAndInvalidUtf8AreRefusedRatherThanReplaced() {
        for (String raw : List.of("%", "%2", "%zz", "a%C3", "%C3%28", "%C0%AF", "%ED%A0%80", "%FF")) {
            assertThrows(InvalidValueException.class, () -> PathSegments.decode(raw), raw);
        }
    }
}
