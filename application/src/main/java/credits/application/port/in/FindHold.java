package credits.application.port.in;

import credits.domain.EntryId;
import credits.domain.Hold;

import java.util.Optional;

/** Anyone allowed to see a hold looks at it as it is now: a hold past its expiry shows as expired. */
public interface FindHold {

    Optional<Hold> find(EntryId holdId);
}
