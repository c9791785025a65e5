package credits.domain;

import java.util.Optional;
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
        return find(text).orElseThrow(() -> new InvalidValueException("must be a transaction id (a UUID)"));
    }

    /**
     * The id {@code text} names, if it can be one of ours: a UUID in its canonical form (either case).
     * Anything else names no entry, which callers answer as they answer any unknown id, since ids are
     * opaque to clients.
     */
    public static Optional<EntryId> find(String text) {
        // The length first, so a long text is dismissed without parsing.
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(text);
            return uuid.toString().equalsIgnoreCase(text) ? Optional.of(new EntryId(uuid)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
