package credits.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a user's ledger, newest first. {@code next} continues strictly after the last entry
 * of this page, so walking the pages returns every entry once even while new ones are written.
 */
public record HistoryPage(List<LedgerEntry> entries, Optional<HistoryCursor> next) {

    public HistoryPage {
        entries = List.copyOf(entries);
    }

    /**
     * The rule every adapter applies to a history read: a page holds at least one entry.
     *
     * @return {@code limit}
     * @throws IllegalArgumentException when it is below one
     */
    public static int requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return limit;
    }
}
