package credits.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EntryIdTest {

    private static final String ID = "123e4567-e89b-12d3-a456-426614174000";

    @Test
    void aUuidInItsCanonicalFormInEitherCaseNamesAnEntry() {
        EntryId expected = new EntryId(UUID.fromString(ID));

        assertThat(EntryId.find(ID), is(Optional.of(expected)));
        assertThat(EntryId.find(ID.toUpperCase()), is(Optional.of(expected)));
        assertThat(EntryId.parse(ID), is(expected));
    }

    @Test
    void anyOtherTextNamesNoEntry() {
        List<String> others = List.of("", "x", "not-a-uuid", ID.replace("-", ""), "{" + ID + "}", ID + " ", ID.substring(1),
                "1-2-3-4-5", "123e4567-e89b-12d3-a456-42661417400g", "0123e4567-e89b-12d3-a456-42661417400", "z".repeat(10_000));
        for (String text : others) {
            assertThat(text, EntryId.find(text), is(Optional.empty()));
            assertThrows(InvalidValueException.class, () -> EntryId.parse(text), text);
        }
        assertThat(EntryId.find(null), is(Optional.empty()));
    }
}
