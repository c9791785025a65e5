package credits.adapters.http.request;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

class RequestIdTest {

    @Test
    void oneWellFormedValueIsKept() {
        assertThat(RequestId.acceptOrGenerate(List.of("Az09._-")).value(), is("Az09._-"));
        assertThat(RequestId.acceptOrGenerate(List.of("x".repeat(128))).value(), is("x".repeat(128)));
    }

    @Test
    void malformedValuesAreReplacedByAGeneratedId() {
        for (String bad : List.of("", "x".repeat(129), "has space", "semi;colon", "ünïcode", "line\nbreak", "slash/")) {
            assertThat(bad, RequestId.acceptOrGenerate(List.of(bad)).value(), startsWith("req_"));
        }
    }

    @Test
    void severalValuesAreReplacedByAGeneratedId() {
        assertThat(RequestId.acceptOrGenerate(List.of("a", "b")).value(), startsWith("req_"));
    }

    @Test
    void generatedIdsAreWellFormedAndDistinct() {
        String first = RequestId.generate().value();
        String second = RequestId.generate().value();

        assertThat(RequestId.isWellFormed(first), is(true));
        assertThat(first.length(), is(36));
        assertThat(first, not(second));
    }
}
