package credits.application.port.out;

import credits.domain.EntryId;

import java.util.UUID;

/** Where new ledger entry ids come from; injected so tests can choose them. */
@FunctionalInterface
public interface EntryIds {

    EntryId next();

    static EntryIds random() {
        return () -> new EntryId(UUID.randomUUID());
    }
}
