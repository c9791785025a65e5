package credits.domain;

import java.util.Objects;
import java.util.UUID;

/** An event's id, {@code evt_} and a UUID: the Standard Webhooks {@code webhook-id}, the same on every attempt. */
public record EventId(UUID value) {

    private static final String PREFIX = "evt_";

    public EventId {
        Objects.requireNonNull(value, "value");
    }

    public static EventId random() {
        return new EventId(UUID.randomUUID());
    }

    /** @throws InvalidValueException when {@code text} is not {@code evt_} and a canonical UUID */
    public static EventId parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidValueException("must be an event id");
        }
        return new EventId(EntryId.parse(text.substring(PREFIX.length())).value());
    }

    @Override
    public String toString() {
        return PREFIX + value;
    }
}
