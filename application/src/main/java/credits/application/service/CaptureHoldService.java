package credits.application.service;

import credits.application.port.in.CaptureHold;
import credits.application.port.out.EntryIds;
import credits.domain.Capture;
import credits.domain.CreditsPort;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Operation;

import java.time.Clock;
import java.util.Objects;

public final class CaptureHoldService implements CaptureHold {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public CaptureHoldService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome capture(Command command) {
        // The hold is part of the request: one key on two holds is two requests, and the second is refused.
        // "The whole hold" stays what was asked, so a retry without an amount replays.
        String fingerprint = RequestFingerprint.of("capture", command.holdId().toString(),
                command.amount().map(amount -> Long.toString(amount.units())).orElse(null), command.reference().orElse(null));
        return credits.capture(new Capture(ids.next(), command.holdId(), command.amount(), command.reference(),
                new Idempotency(command.caller(), Operation.CAPTURE, command.key(), fingerprint), Timestamps.now(clock)));
    }
}
