package credits.application.service;

import credits.application.port.in.ReleaseHold;
import credits.application.port.out.EntryIds;
import credits.domain.CreditsPort;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Release;

import java.time.Clock;
import java.util.Objects;

public final class ReleaseHoldService implements ReleaseHold {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public ReleaseHoldService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome release(Command command) {
        // The hold is the whole request: the same key on another hold is refused, not replayed.
        String fingerprint = RequestFingerprint.of("release", command.holdId().toString());
        return credits.release(new Release(ids.next(), command.holdId(),
                new Idempotency(command.caller(), Operation.RELEASE, command.key(), fingerprint), Timestamps.now(clock)));
    }
}
