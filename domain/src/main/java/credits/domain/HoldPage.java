package credits.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a user's holds, newest first; {@code next} continues strictly after the last hold of
 * this page (its position is its {@code hold} entry's place in the ledger).
 */
public record HoldPage(List<Hold> holds, Optional<HistoryCursor> next) {

    public HoldPage {
        holds = List.copyOf(holds);
        java.util.Objects.requireNonNull(next, "next");
    }
}
