package credits.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A webhook endpoint's id: a UUID, opaque to clients. */
public record EndpointId(UUID value) {

    public EndpointId {
        Objects.requireNonNull(value, "value");
    }

    public static EndpointId random() {
        return new EndpointId(UUID.randomUUID());
    }

    /** The endpoint id {@code text} names, if it can be one of ours (anything else names none). */
    public static Optional<EndpointId> find(String text) {
        return EntryId.find(text).map(entry -> new EndpointId(entry.value()));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
