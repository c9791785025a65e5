package credits.domain;

/** Where a history page ends: the storage position of its last entry. Opaque to clients. */
public record HistoryCursor(long position) {

    public HistoryCursor {
        if (position < 0) {
            throw new InvalidValueException("cursor position must not be negative");
        }
    }
}
