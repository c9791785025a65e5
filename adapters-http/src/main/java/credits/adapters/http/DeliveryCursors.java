package credits.adapters.http;

import credits.domain.EndpointId;
import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;

/**
 * The deliveries listing's opaque {@code next_cursor}: sealed like history cursors, under the same key, for another
 * purpose and bound to the endpoint, so it opens no other listing and no other endpoint's deliveries.
 */
final class DeliveryCursors {

    private static final String PURPOSE = "credits.delivery-cursor";
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this endpoint's deliveries";

    private final SealedPositions sealed;

    DeliveryCursors(HistoryCursorKey key) {
        this.sealed = new SealedPositions(key, PURPOSE, MESSAGE);
    }

    String encode(EndpointId endpoint, HistoryCursor cursor) {
        return sealed.seal(endpoint.toString(), cursor.position());
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code endpoint} with this key */
    HistoryCursor decode(EndpointId endpoint, String text) {
        return new HistoryCursor(sealed.open(endpoint.toString(), text));
    }
}
