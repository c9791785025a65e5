package credits.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one decision of {@link CreditState} writes, for an adapter to persist in one transaction:
 * the credit row after it and what its lots then add up to ({@link LotSummary}), the entries in the order they are appended, the existing lots that
 * changed (as they are after it) and the lot it opened, if any. {@code move} is the entry of the
 * request itself, absent when only owed expiries are written. {@code changedHolds} are the holds it
 * placed or ended, as they are after it. {@code chainHead} is the hash of the user's last entry
 * after it (storage keeps it beside the balance, so the next move chains without reading the ledger).
 * {@code events} are what the move tells other services, stored in the same transaction (none for a
 * move that is not written).
 */
public record Change(Credit credit, LotSummary summary, List<LedgerEntry> entries, List<Lot> changedLots,
                     Optional<LedgerEntry> openedLot, Optional<LedgerEntry> move, List<Hold> changedHolds, String chainHead,
                     List<CreditEvent> events) {

    public Change {
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(summary, "summary");
        entries = List.copyOf(entries);
        changedLots = List.copyOf(changedLots);
        Objects.requireNonNull(openedLot, "openedLot");
        Objects.requireNonNull(move, "move");
        changedHolds = List.copyOf(changedHolds);
        events = List.copyOf(events);
        LedgerHash.requireHash(chainHead);
        if (entries.stream().anyMatch(entry -> entry.hash().isEmpty())
                || !entries.isEmpty() && !entries.get(entries.size() - 1).hash().orElseThrow().equals(chainHead)) {
            throw new IllegalArgumentException("a change's entries are chained, and the head is its last entry's hash");
        }
    }

    /**
     * The user's low-balance flag after this change, when the change sets it: {@code true} after a
     * {@code balance.low}, {@code false} after a {@code balance.recovered}.
     */
    public Optional<Boolean> lowAlertAfter() {
        for (int i = events.size() - 1; i >= 0; i--) {
            switch (events.get(i).type()) {
                case BALANCE_LOW -> { return Optional.of(true); }
                case BALANCE_RECOVERED -> { return Optional.of(false); }
                default -> { }
            }
        }
        return Optional.empty();
    }

    /** The hold this change placed, if it placed one (it is then active). */
    public Optional<Hold> placedHold() {
        return changedHolds.stream().filter(hold -> hold.status() == HoldStatus.ACTIVE).findFirst();
    }
}
