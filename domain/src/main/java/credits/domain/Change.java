package credits.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one decision of {@link CreditState} writes, for an adapter to persist in one transaction:
 * the credit row after it and what its lots then add up to ({@link LotSummary}), the entries in the order they are appended, the existing lots that
 * changed (as they are after it) and the lot it opened, if any. {@code move} is the entry of the
 * request itself, absent when only owed expiries are written.
 */
public record Change(Credit credit, LotSummary summary, List<LedgerEntry> entries, List<Lot> changedLots,
                     Optional<LedgerEntry> openedLot, Optional<LedgerEntry> move) {

    public Change {
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(summary, "summary");
        entries = List.copyOf(entries);
        changedLots = List.copyOf(changedLots);
        Objects.requireNonNull(openedLot, "openedLot");
        Objects.requireNonNull(move, "move");
    }
}
