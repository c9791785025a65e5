package credits.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one decision of {@link CreditState} writes, for an adapter to persist in one transaction:
 * the credit row after it and what its lots then add up to ({@link LotSummary}), the entries in the order they are appended, the existing lots that
 * changed (as they are after it) and the lot it opened, if any. {@code move} is the entry of the
 * request itself, absent when only owed expiries are written. {@code changedHolds} are the holds it
 * placed or ended, as they are after it.
 */
public record Change(Credit credit, LotSummary summary, List<LedgerEntry> entries, List<Lot> changedLots,
                     Optional<LedgerEntry> openedLot, Optional<LedgerEntry> move, List<Hold> changedHolds) {

    /** A change that places or ends no hold. */
    public Change(Credit credit, LotSummary summary, List<LedgerEntry> entries, List<Lot> changedLots,
                  Optional<LedgerEntry> openedLot, Optional<LedgerEntry> move) {
        this(credit, summary, entries, changedLots, openedLot, move, List.of());
    }

    public Change {
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(summary, "summary");
        entries = List.copyOf(entries);
        changedLots = List.copyOf(changedLots);
        Objects.requireNonNull(openedLot, "openedLot");
        Objects.requireNonNull(move, "move");
        changedHolds = List.copyOf(changedHolds);
    }

    /** The hold this change placed, if it placed one (it is then active). */
    public Optional<Hold> placedHold() {
        return changedHolds.stream().filter(hold -> hold.status() == HoldStatus.ACTIVE).findFirst();
    }
}
