package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

/**
 * The history's opaque {@code next_cursor}, sealed by {@link SealedPositions} for one user's history. The old
 * readable {@code v1:} format is refused like any other text that does not authenticate.
 */
final class HistoryCursors {

    // The purpose every history cursor issued so far was sealed with: changing it would void them all.
    private static final String PURPOSE = "credits.history-cursor";
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this history";

    private final SealedPositions sealed;

    HistoryCursors(HistoryCursorKey key) {
        this.sealed = new SealedPositions(key, PURPOSE, MESSAGE);
    }

    /** The cursor for the page after {@code cursor} in {@code owner}'s history; a fresh nonce each time. */
    String encode(UserId owner, HistoryCursor cursor) {
        return sealed.seal(owner, cursor.position());
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code owner} with this key */
    HistoryCursor decode(UserId owner, String text) {
        return new HistoryCursor(sealed.open(owner, text));
    }
}
