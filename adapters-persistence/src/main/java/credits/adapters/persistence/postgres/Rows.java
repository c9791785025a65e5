package credits.adapters.persistence.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Function;

import credits.domain.Balance;
import credits.domain.Change;
import credits.domain.Credit;
import credits.domain.CreditState;
import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Hold;
import credits.domain.HoldStatus;
import credits.domain.Idempotency;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.Lot;
import credits.domain.LotCategory;
import credits.domain.LotSummary;
import credits.domain.LotTerms;
import credits.domain.UserId;
import credits.domain.CreditEvent;
import credits.domain.LowBalanceAlert;
import credits.domain.Usdc;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;

/** The one place rows become domain values and domain values become statement parameters. */
final class Rows {

    private Rows() {
    }

    /** A credit as stored, with the revision a write decided on it must still find, and its lots' summary. */
    record Revised(Credit credit, long revision, LotSummary summary, String chainHead, Optional<Usdc> ownThreshold,
                   boolean lowAlerted) {
    }

    /** What {@code READ_STATE} gave: the credit (if any), its revision and its lots. */
    record Stored(UserId userId, Optional<Revised> credit, List<Lot> lots, List<Hold> holds) {

        CreditState state() {
            return CreditState.of(userId, credit.map(Revised::credit), lots, holds,
                    credit.map(Revised::chainHead).orElse(LedgerHash.GENESIS));
        }

        /** The state a move is decided on: with the user's alert, {@code fallback} the threshold for users who set none. */
        CreditState state(Optional<Usdc> fallback) {
            return state().withAlert(credit.map(revised -> new LowBalanceAlert(
                    LowBalanceAlert.applying(revised.ownThreshold(), fallback), revised.lowAlerted())).orElse(LowBalanceAlert.NONE));
        }

        /** Whether the user has active holds, which {@code READ_STATE} leaves to {@code ACTIVE_HOLDS}. */
        boolean holdsSomething() {
            return credit.filter(revised -> !revised.credit().held().isZero()).isPresent();
        }

        Stored withHolds(List<Hold> active) {
            return new Stored(userId, credit, lots, active);
        }

        long revision() {
            return credit.map(Revised::revision).orElse(0L);
        }
    }

    static Stored stored(UserId userId, List<DbRow> rows) {
        if (rows.isEmpty()) {
            return new Stored(userId, Optional.empty(), List.of(), List.of());
        }
        List<Lot> lots = new ArrayList<>();
        for (DbRow row : rows) {
            if (row.column("lot_id").get(UUID.class) != null) {
                lots.add(lot(row));
            }
        }
        return new Stored(userId, Optional.of(revised(rows.get(0))), lots, List.of());
    }

    static Revised revised(DbRow row) {
        return new Revised(new Credit(
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("balance_units").get(Long.class)),
                Usdc.ofUnits(row.column("held_units").get(Long.class)),
                instant(row.column("created_at")),
                instant(row.column("updated_at"))), row.column("revision").get(Long.class), summary(row),
                row.column("last_hash").get(String.class),
                Optional.ofNullable(row.column("low_balance_units").get(Long.class)).map(Usdc::ofUnits),
                row.column("low_alerted").get(Boolean.class));
    }

    private static LotSummary summary(DbRow row) {
        Optional<Balance.NextExpiry> next = optionalInstant(row.column("next_expiry_at"))
                .map(at -> new Balance.NextExpiry(at, Usdc.ofUnits(row.column("next_expiry_units").get(Long.class))));
        return new LotSummary(Usdc.ofUnits(row.column("paid_units").get(Long.class)), next,
                optionalInstant(row.column("next_hold_expiry_at")));
    }

    static Lot lot(DbRow row) {
        return new Lot(
                new EntryId(row.column("lot_id").get(UUID.class)),
                UserId.of(row.column("user_id").get(String.class)),
                new LotTerms(category(row.column("lot_category").get(String.class)),
                        row.column("lot_priority").get(Number.class).intValue(),
                        optionalInstant(row.column("lot_expires_at"))),
                row.column("entry_seq").get(Long.class),
                Usdc.ofUnits(row.column("original_units").get(Long.class)),
                Usdc.ofUnits(row.column("remaining_units").get(Long.class)),
                Usdc.ofUnits(row.column("expired_units").get(Long.class)),
                instant(row.column("lot_created_at")),
                Usdc.ofUnits(row.column("reserved_units").get(Long.class)));
    }

    /** A hold as stored, with its position (its hold entry's) for paging. */
    record PositionedHold(long seq, Hold hold) {
    }

    static PositionedHold hold(DbRow row) {
        Optional<Usdc> captured = Optional.ofNullable(row.column("captured_units").get(Long.class)).map(Usdc::ofUnits);
        return new PositionedHold(row.column("entry_seq").get(Long.class), new Hold(
                new EntryId(row.column("hold_id").get(UUID.class)),
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("amount_units").get(Long.class)),
                Optional.ofNullable(row.column("reference").get(String.class)),
                draws(row.column("reserved_lot_ids").get(String.class), row.column("reserved_units").get(String.class)),
                instant(row.column("expires_at")),
                instant(row.column("created_at")),
                HoldStatus.fromCode(row.column("status").get(String.class))
                        .orElseThrow(() -> new IllegalStateException("unknown hold status")),
                captured,
                optionalInstant(row.column("resolved_at")),
                Optional.ofNullable(row.column("deduction_id").get(UUID.class)).map(EntryId::new)));
    }

    /** The parameters that place {@code hold} (after its entry) or end it. */
    static Map<String, Object> holdParams(Hold hold) {
        Map<String, Object> params = new HashMap<>();
        params.put("hold_id", hold.id().toString());
        params.put("reserved_lot_ids", array(hold.reserved().stream().map(draw -> draw.lotId().toString()).toList()));
        params.put("reserved_units", array(hold.reserved().stream().map(draw -> Long.toString(draw.amount().units())).toList()));
        params.put("expires_at", timestamp(hold.expiresAt()));
        params.put("status", hold.status().code());
        params.put("captured", hold.captured().map(Usdc::units).orElse(null));
        params.put("resolved_at", hold.resolvedAt().map(Rows::timestamp).orElse(null));
        params.put("deduction_id", hold.deductionId().map(EntryId::toString).orElse(null));
        return params;
    }

    /** A ledger row with its history position. */
    static Positioned entry(DbRow row) {
        EntryType type = EntryType.fromCode(row.column("type").get(String.class));
        Optional<LotTerms> terms = Optional.ofNullable(row.column("category").get(String.class))
                .map(category -> new LotTerms(category(category), row.column("priority").get(Number.class).intValue(),
                        optionalInstant(row.column("expires_at"))));
        Optional<LedgerEntry.Deposit> deposit = Optional.ofNullable(row.column("payment_reference").get(String.class))
                .map(reference -> new LedgerEntry.Deposit(reference, Optional.ofNullable(row.column("memo").get(String.class))));
        return new Positioned(row.column("seq").get(Long.class), new LedgerEntry(
                new EntryId(row.column("id").get(UUID.class)),
                UserId.of(row.column("user_id").get(String.class)),
                type,
                Usdc.ofUnits(row.column("amount_units").get(Long.class)),
                Usdc.ofUnits(row.column("balance_after_units").get(Long.class)),
                Optional.ofNullable(row.column("reference").get(String.class)),
                Optional.ofNullable(row.column("reason").get(String.class)),
                Optional.ofNullable(row.column("deduction_id").get(UUID.class)).map(EntryId::new),
                Optional.ofNullable(row.column("grant_id").get(UUID.class)).map(EntryId::new),
                draws(row.column("drawn_lot_ids").get(String.class), row.column("drawn_units").get(String.class)),
                terms,
                deposit,
                instant(row.column("created_at")),
                Optional.ofNullable(row.column("hold_id").get(UUID.class)).map(EntryId::new),
                Optional.ofNullable(row.column("hash").get(String.class))));
    }

    static String fingerprint(DbRow row) {
        return row.column("fingerprint").get(String.class);
    }

    record Positioned(long seq, LedgerEntry entry) {
    }

    /** An idempotency identity as the ledger's unique key holds it: caller, operation, key. */
    record KeyedBy(String caller, String operation, String key) {

        static KeyedBy of(Idempotency idempotency) {
            return new KeyedBy(idempotency.caller().value(), idempotency.operation().code(), idempotency.key().value());
        }

        /** From a row of {@code FIND_BY_IDEMPOTENCY_KEYS}. */
        static KeyedBy of(DbRow row) {
            return new KeyedBy(row.column("caller").get(String.class), row.column("operation").get(String.class),
                    row.column("idempotency_key").get(String.class));
        }
    }

    /** The entry an earlier request left under an identity, and that request's fingerprint. */
    record Earlier(LedgerEntry entry, String fingerprint) {
    }

    // A HashMap, not Map.of: the callers add values that may be SQL NULL (an absent reference).
    static Map<String, Object> idempotencyParams(Idempotency idempotency) {
        Map<String, Object> params = new HashMap<>();
        params.put("caller", idempotency.caller().value());
        params.put("type", idempotency.operation().code());
        params.put("key", idempotency.key().value());
        params.put("fingerprint", idempotency.fingerprint());
        return params;
    }

    /** The parameters of an entry's insert; {@code idempotency} only for the entry of the request itself. */
    static Map<String, Object> entryParams(LedgerEntry entry, Optional<Idempotency> idempotency) {
        Map<String, Object> params = idempotency.map(Rows::idempotencyParams).orElseGet(() -> {
            Map<String, Object> none = new HashMap<>();
            none.put("caller", null);
            none.put("type", null);
            none.put("key", null);
            none.put("fingerprint", null);
            return none;
        });
        params.put("id", entry.id().toString());
        params.put("user_id", entry.userId().value());
        params.put("entry_type", entry.type().code());
        params.put("amount", entry.amount().units());
        params.put("balance_after", entry.balanceAfter().units());
        params.put("reference", entry.reference().orElse(null));
        params.put("reason", entry.reason().orElse(null));
        params.put("deduction_id", entry.deductionId().map(EntryId::toString).orElse(null));
        params.put("grant_id", entry.grantId().map(EntryId::toString).orElse(null));
        params.put("drawn_lot_ids", array(entry.drawnFrom().stream().map(draw -> draw.lotId().toString()).toList()));
        params.put("drawn_units", array(entry.drawnFrom().stream().map(draw -> Long.toString(draw.amount().units())).toList()));
        params.put("category", entry.lot().map(terms -> terms.category().code()).orElse(null));
        params.put("priority", entry.lot().map(LotTerms::priority).orElse(null));
        params.put("expires_at", entry.lot().flatMap(LotTerms::expiresAt).map(Rows::timestamp).orElse(null));
        params.put("payment_reference", entry.deposit().map(LedgerEntry.Deposit::paymentReference).orElse(null));
        params.put("memo", entry.deposit().flatMap(LedgerEntry.Deposit::memo).orElse(null));
        params.put("created_at", timestamp(entry.createdAt()));
        params.put("opens_lot", entry.type().opensLot());
        params.put("hold_id", entry.holdId().map(EntryId::toString).orElse(null));
        params.put("hash", entry.hash().orElseThrow(() -> new IllegalArgumentException("an entry is stored with its hash")));
        return params;
    }

    /** The parameters that set lots to what a change leaves of them. */
    static void lotParams(List<Lot> lots, Map<String, Object> params) {
        params.put("lot_ids", array(lots.stream().map(lot -> lot.id().toString()).toList()));
        params.put("lot_remaining", array(lots.stream().map(lot -> Long.toString(lot.remaining().units())).toList()));
        params.put("lot_expired", array(lots.stream().map(lot -> Long.toString(lot.expired().units())).toList()));
        params.put("lot_reserved", array(lots.stream().map(lot -> Long.toString(lot.reserved().units())).toList()));
    }

    /** The parameters that set the credit row to what {@code change} leaves, if its revision is still {@code revision}. */
    static void creditParams(Change change, long revision, Map<String, Object> params) {
        Credit credit = change.credit();
        params.put("user_id", credit.userId().value());
        params.put("credit_balance", credit.balance().units());
        params.put("held", credit.held().units());
        params.put("updated_at", timestamp(credit.updatedAt()));
        params.put("revision", revision);
        params.put("paid", change.summary().paid().units());
        params.put("next_expiry_at", change.summary().nextExpiry().map(next -> timestamp(next.at())).orElse(null));
        params.put("next_expiry_units", change.summary().nextExpiry().map(next -> next.amount().units()).orElse(null));
        params.put("next_hold_expiry_at", change.summary().nextHoldExpiry().map(Rows::timestamp).orElse(null));
        params.put("last_hash", change.chainHead());
        params.put("low_alerted", change.lowAlertAfter().orElse(null));
    }

    /** The parameters of {@code INSERT_HOLDS}. */
    static Map<String, Object> placedHoldParams(List<Hold> holds) {
        Map<String, Object> params = new HashMap<>();
        params.put("h_ids", array(each(holds, hold -> hold.id().toString())));
        params.put("h_lot_ids", textArray(each(holds, hold -> array(each(hold.reserved(), draw -> draw.lotId().toString())))));
        params.put("h_units", textArray(each(holds, hold -> array(each(hold.reserved(), draw -> Long.toString(draw.amount().units()))))));
        params.put("h_expires", textArray(each(holds, hold -> hold.expiresAt().toString())));
        return params;
    }

    /** The parameters of {@code END_HOLDS}. */
    static Map<String, Object> endedHoldParams(List<Hold> holds) {
        Map<String, Object> params = new HashMap<>();
        params.put("x_ids", array(each(holds, hold -> hold.id().toString())));
        params.put("x_status", textArray(each(holds, hold -> hold.status().code())));
        params.put("x_captured", textArray(each(holds, hold -> hold.captured().map(units -> Long.toString(units.units())).orElse(null))));
        params.put("x_resolved", textArray(each(holds, hold -> hold.resolvedAt().map(Instant::toString).orElse(null))));
        params.put("x_deductions", textArray(each(holds, hold -> hold.deductionId().map(EntryId::toString).orElse(null))));
        return params;
    }

    /** The parameters of {@code INSERT_EVENTS}. */
    static Map<String, Object> eventParams(List<CreditEvent> events) {
        Map<String, Object> params = new HashMap<>();
        params.put("ev_ids", array(each(events, event -> event.id().value().toString())));
        params.put("ev_types", textArray(each(events, event -> event.type().code())));
        params.put("ev_users", textArray(each(events, event -> event.userId().value())));
        params.put("ev_balances", array(each(events, event -> Long.toString(event.balance().units()))));
        params.put("ev_available", array(each(events, event -> Long.toString(event.available().units()))));
        params.put("ev_thresholds", textArray(each(events, event -> event.threshold().map(t -> Long.toString(t.units())).orElse(null))));
        params.put("ev_entries", textArray(each(events, event -> event.entryId().map(EntryId::toString).orElse(null))));
        params.put("ev_holds", textArray(each(events, event -> event.holdId().map(EntryId::toString).orElse(null))));
        params.put("ev_times", textArray(each(events, event -> event.createdAt().toString())));
        return params;
    }

    /**
     * The parameters of {@code WRITE_BATCH}: the entries of several changes in the order they were
     * decided, each lot and each credit row as the last change of it leaves it.
     */
    static final class BatchWrite {
        private final List<LedgerEntry> entries = new ArrayList<>();
        private final List<Optional<Idempotency>> identities = new ArrayList<>();
        private final Map<EntryId, Lot> lots = new LinkedHashMap<>();
        private final Map<UserId, Change> credits = new LinkedHashMap<>();
        private final Map<EntryId, Hold> endedHolds = new LinkedHashMap<>();
        // A hold placed by the batch as placed (it may also end in the batch, later).
        private final Map<EntryId, Hold> placedHolds = new LinkedHashMap<>();
        private final List<CreditEvent> events = new ArrayList<>();
        // The low-balance flag each user's changes leave, for users whose changes set it.
        private final Map<UserId, Boolean> lowAlerted = new HashMap<>();

        /** Adds a change whose move carries {@code idempotency}; a change that opens a lot cannot be batched. */
        void add(Change change, Idempotency idempotency) {
            if (change.openedLot().isPresent()) {
                throw new IllegalArgumentException("a lot opening is written on its own");
            }
            for (LedgerEntry entry : change.entries()) {
                if (entry.lot().isPresent() || entry.deposit().isPresent()) {
                    throw new IllegalArgumentException("an entry with lot terms or a deposit is written on its own");
                }
                entries.add(entry);
                identities.add(change.move().filter(move -> move.id().equals(entry.id())).map(move -> idempotency));
            }
            change.changedLots().forEach(lot -> lots.put(lot.id(), lot));
            for (Hold hold : change.changedHolds()) {
                if (hold.status() == HoldStatus.ACTIVE) {
                    placedHolds.put(hold.id(), hold);
                } else {
                    endedHolds.put(hold.id(), hold);
                }
            }
            credits.put(change.credit().userId(), change);
            events.addAll(change.events());
            change.lowAlertAfter().ifPresent(low -> lowAlerted.put(change.credit().userId(), low));
        }

        /** The events of the batch's changes, in their order, for {@code INSERT_EVENTS} after the batch's statement. */
        List<CreditEvent> events() {
            return List.copyOf(events);
        }

        /** The holds the batch ended, as it leaves them, written by {@code END_HOLDS} after {@link #placedHolds}. */
        List<Hold> endedHolds() {
            return List.copyOf(endedHolds.values());
        }

        /** The holds the batch placed, as placed, written by {@code INSERT_HOLDS} after the batch's entries. */
        List<Hold> placedHolds() {
            return List.copyOf(placedHolds.values());
        }

        boolean isEmpty() {
            return entries.isEmpty();
        }

        /** How many credit rows the write sets. */
        int users() {
            return credits.size();
        }

        Map<String, Object> params() {
            Map<String, Object> params = new HashMap<>();
            params.put("e_ids", array(each(entries, entry -> entry.id().toString())));
            params.put("e_users", textArray(each(entries, entry -> entry.userId().value())));
            params.put("e_types", textArray(each(entries, entry -> entry.type().code())));
            params.put("e_amounts", array(each(entries, entry -> Long.toString(entry.amount().units()))));
            params.put("e_balances", array(each(entries, entry -> Long.toString(entry.balanceAfter().units()))));
            params.put("e_references", textArray(each(entries, entry -> entry.reference().orElse(null))));
            params.put("e_reasons", textArray(each(entries, entry -> entry.reason().orElse(null))));
            params.put("e_deductions", textArray(each(entries, entry -> entry.deductionId().map(EntryId::toString).orElse(null))));
            params.put("e_grants", textArray(each(entries, entry -> entry.grantId().map(EntryId::toString).orElse(null))));
            params.put("e_drawn_lot_ids", textArray(each(entries,
                    entry -> array(each(entry.drawnFrom(), draw -> draw.lotId().toString())))));
            params.put("e_drawn_units", textArray(each(entries,
                    entry -> array(each(entry.drawnFrom(), draw -> Long.toString(draw.amount().units()))))));
            params.put("e_callers", textArray(each(identities, identity -> identity.map(id -> id.caller().value()).orElse(null))));
            params.put("e_keys", textArray(each(identities, identity -> identity.map(id -> id.key().value()).orElse(null))));
            params.put("e_fingerprints", textArray(each(identities, identity -> identity.map(Idempotency::fingerprint).orElse(null))));
            params.put("e_times", textArray(each(entries, entry -> entry.createdAt().toString())));
            params.put("e_holds", textArray(each(entries, entry -> entry.holdId().map(EntryId::toString).orElse(null))));
            params.put("e_operations", textArray(each(identities, identity -> identity.map(id -> id.operation().code()).orElse(null))));
            params.put("e_hashes", array(each(entries, entry -> entry.hash().orElseThrow())));
            lotParams(List.copyOf(lots.values()), params);
            List<Change> changes = List.copyOf(credits.values());
            params.put("c_users", textArray(each(changes, change -> change.credit().userId().value())));
            params.put("c_balances", array(each(changes, change -> Long.toString(change.credit().balance().units()))));
            params.put("c_held", array(each(changes, change -> Long.toString(change.credit().held().units()))));
            params.put("c_times", textArray(each(changes, change -> change.credit().updatedAt().toString())));
            params.put("c_paid", array(each(changes, change -> Long.toString(change.summary().paid().units()))));
            params.put("c_next_at", textArray(each(changes,
                    change -> change.summary().nextExpiry().map(next -> next.at().toString()).orElse(null))));
            params.put("c_next_units", textArray(each(changes,
                    change -> change.summary().nextExpiry().map(next -> Long.toString(next.amount().units())).orElse(null))));
            params.put("c_last_hash", array(each(changes, Change::chainHead)));
            params.put("c_next_hold_at", textArray(each(changes,
                    change -> change.summary().nextHoldExpiry().map(Instant::toString).orElse(null))));
            params.put("c_low_alerted", textArray(each(changes,
                    change -> Optional.ofNullable(lowAlerted.get(change.credit().userId())).map(String::valueOf).orElse(null))));
            return params;
        }
    }

    private static <T> List<String> each(List<T> items, Function<T, String> text) {
        List<String> texts = new ArrayList<>(items.size());
        items.forEach(item -> texts.add(text.apply(item)));
        return texts;
    }

    /** PostgreSQL's text form of an array of uuids or integers (no quoting needed for either). */
    static String array(List<String> items) {
        StringJoiner joined = new StringJoiner(",", "{", "}");
        items.forEach(joined::add);
        return joined.toString();
    }

    /**
     * PostgreSQL's text form of an array of any text: every element double-quoted, with a double
     * quote or a backslash in it escaped by a backslash, and {@code null} as the unquoted NULL.
     */
    static String textArray(List<String> items) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            String item = items.get(i);
            if (item == null) {
                text.append("NULL");
                continue;
            }
            text.append('"');
            for (int c = 0; c < item.length(); c++) {
                char ch = item.charAt(c);
                if (ch == '"' || ch == '\\') {
                    text.append('\\');
                }
                text.append(ch);
            }
            text.append('"');
        }
        return text.append('}').toString();
    }

    private static List<Draw> draws(String lotIds, String units) {
        List<String> ids = items(lotIds);
        List<String> amounts = items(units);
        if (ids.size() != amounts.size()) {
            throw new IllegalStateException("drawn_lot_ids and drawn_units differ in length");
        }
        List<Draw> draws = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            draws.add(new Draw(new EntryId(UUID.fromString(ids.get(i))), Usdc.ofUnits(Long.parseLong(amounts.get(i)))));
        }
        return draws;
    }

    static List<String> items(String array) {
        if (array == null || array.length() <= 2) {
            return List.of();
        }
        return List.of(array.substring(1, array.length() - 1).split(","));
    }

    private static LotCategory category(String code) {
        return LotCategory.fromCode(code).orElseThrow(() -> new IllegalStateException("unknown lot category " + code));
    }

    // The driver binds OffsetDateTime as timestamptz (it has no binding for Instant); UTC keeps the
    // stored instant independent of the JVM's time zone.
    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    // The PostgreSQL driver reads timestamptz as java.sql.Timestamp, which keeps the exact instant.
    static Instant instant(DbColumn column) {
        return column.get(Timestamp.class).toInstant();
    }

    static Optional<Instant> optionalInstant(DbColumn column) {
        return Optional.ofNullable(column.get(Timestamp.class)).map(Timestamp::toInstant);
    }
}
