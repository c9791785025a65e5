package credits.domain;

import java.util.UUID;

/** A ledger entry's public id: a UUID, so ids reveal nothing about volumes or order. */
public record EntryId(UUID value) {

    public EntryId {
        if (value == null) {
            throw new InvalidValueException("entry id must not be empty");
        }
    }

    /** @throws InvalidValueException when the text is not a UUID in its canonical form */
    public static EntryId parse(String text) {
        if (text == null || text.length() != 36) {
            throw new InvalidValueException("must be a transaction id (a UUID)");
        }
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new InvalidValueException("must be a transaction id (a UUID)");
            }
            return new EntryId(uuid);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("must be a transaction id (a UUID)");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
