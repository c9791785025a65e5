package credits.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a user's lots in burn-down order, as they are at the instant of the read. {@code next}
 * continues strictly after the last lot of this page (a lot's place in the order never changes).
 */
public record LotPage(List<Lot> lots, Optional<Cursor> next) {

    public LotPage {
        lots = List.copyOf(lots);
    }

    /** Where a page ends: the {@link Lot#sequence} of its last lot. */
    public record Cursor(long sequence) {
    }

    /** Which lots a page lists: only open ones (something left to spend) or all, after a cursor. */
    public record Query(boolean includeAll, Optional<Cursor> after, int limit) {

        public Query {
            HistoryPage.requireLimit(limit);
        }

        /** Whether {@code lot}, as it is at the read, belongs in the listing. */
        public boolean lists(Lot lot, java.time.Instant now) {
            return includeAll || lot.statusAt(now) == Lot.Status.OPEN;
        }
    }
}
