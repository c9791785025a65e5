package credits.adapters.http;

import credits.domain.InvalidValueException;
import credits.domain.LotPage;
import credits.domain.UserId;

/**
 * The lot listing's opaque {@code next_cursor}: sealed like history cursors, under the same key, but for
 * another purpose, so neither kind opens the other listing.
 */
final class LotCursors {

    private static final String PURPOSE = "credits.lot-cursor";
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this lot listing";

    private final SealedPositions sealed;

    LotCursors(HistoryCursorKey key) {
        this.sealed = new SealedPositions(key, PURPOSE, MESSAGE);
    }

    /** The cursor for the page after {@code cursor} in {@code owner}'s lots; a fresh nonce each time. */
    String encode(UserId owner, LotPage.Cursor cursor) {
        return sealed.seal(owner, cursor.sequence());
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code owner} with this key */
    LotPage.Cursor decode(UserId owner, String text) {
        return new LotPage.Cursor(sealed.open(owner, text));
    }
}
