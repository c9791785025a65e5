package credits.domain;

import java.time.Instant;
import java.util.Objects;

/** Giving a hold's whole amount back, unused; {@code id} is its {@code hold_release} entry's. */
public record Release(EntryId id, EntryId holdId, Idempotency idempotency, Instant at) {

    public Release {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        idempotency.requireOperation(Operation.RELEASE);
    }
}
