package credits.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a user's lots in burn-down order, as they are at the instant of the read, {@code at}
 * (what a lot's status is judged at, too). {@code next} continues strictly after the last lot of
 * this page (a lot's place in the order never changes).
 */
public record LotPage(List<Lot> lots, Optional<Cursor> next, Instant at) {

    public LotPage {
        lots = List.copyOf(lots);
        Objects.requireNonNull(at, "at");
    }

    /**
     * The page {@code query} asks for, of a user's {@code lots} (all of them) as they are at {@code now}.
     * A cursor that names none of the lots continues nowhere: an empty page.
     */
    public static LotPage of(Collection<Lot> lots, Query query, Instant now) {
        List<Lot> ordered = new ArrayList<>(lots);
        ordered.sort(BurnDown.ORDER);
        int start = 0;
        if (query.after().isPresent()) {
            long sequence = query.after().get().sequence();
            start = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).sequence() == sequence) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Lot> page = new ArrayList<>();
        Optional<Cursor> next = Optional.empty();
        for (int i = start; i < ordered.size(); i++) {
            Lot shown = ordered.get(i).asOf(now);
            if (!query.lists(shown, now)) {
                continue;
            }
            if (page.size() == query.limit()) {
                next = Optional.of(new Cursor(page.get(page.size() - 1).sequence()));
                break;
            }
            page.add(shown);
        }
        return new LotPage(page, next, now);
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
        public boolean lists(Lot lot, Instant now) {
            return includeAll || lot.statusAt(now) == Lot.Status.OPEN;
        }
    }
}
