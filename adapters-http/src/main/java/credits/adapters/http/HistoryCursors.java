package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

/**
 * The history's opaque {@code next_cursor}, sealed by {@link SealedPositions} for one user's history. The old
 * readable {@code v1:} format is refused like any other text that does not authenticate. The hold listing pages
 * by ledger position too: its cursors ({@link #forHolds}) are sealed under the same key for another purpose, so
 * neither kind opens the other listing.
 */
final class HistoryCursors {

    // The purpose every history cursor issued so far was sealed with: changing it would void them all.
    private static final String PURPOSE = "credits.history-cursor";
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this history";
    private static final String HOLDS_PURPOSE = "credits.hold-cursor";
    private static final String HOLDS_MESSAGE = "must be a next_cursor returned by a previous page of this hold listing";

    private final SealedPositions sealed;

    HistoryCursors(HistoryCursorKey key) {
        this(key, PURPOSE, MESSAGE);
    }

    private HistoryCursors(HistoryCursorKey key, String purpose, String message) {
        this.sealed = new SealedPositions(key, purpose, message);
    }

    /** The cursors of the hold listing, which are refused by the history and the other way round. */
    static HistoryCursors forHolds(HistoryCursorKey key) {
        return new HistoryCursors(key, HOLDS_PURPOSE, HOLDS_MESSAGE);
    }

    /** The cursor for the page after {@code cursor} in {@code owner}'s listing; a fresh nonce each time. */
    String encode(UserId owner, HistoryCursor cursor) {
        return sealed.seal(owner, cursor.position());
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code owner} with this key */
    HistoryCursor decode(UserId owner, String text) {
        return new HistoryCursor(sealed.open(owner, text));
    }
}
