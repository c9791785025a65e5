package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

/**
 * The hold listing's opaque {@code next_cursor}: sealed like history cursors, under the same key, but for another
 * purpose, so no other listing's cursor opens it, nor it another listing.
 */
final class HoldCursors {

    private static final String PURPOSE = "credits.hold-cursor";
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this hold listing";

    private final SealedPositions sealed;

    HoldCursors(HistoryCursorKey key) {
        this.sealed = new SealedPositions(key, PURPOSE, MESSAGE);
    }

    /** The cursor for the page after {@code cursor} in {@code owner}'s holds; a fresh nonce each time. */
    String encode(UserId owner, HistoryCursor cursor) {
        return sealed.seal(owner, cursor.position());
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code owner} with this key */
    HistoryCursor decode(UserId owner, String text) {
        return new HistoryCursor(sealed.open(owner, text));
    }
}
