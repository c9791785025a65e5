package credits.application.service;

import credits.application.port.in.PlaceHold;
import credits.application.port.out.EntryIds;
import credits.domain.CreditsPort;
import credits.domain.HoldRequest;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Operation;

import java.time.Clock;
import java.util.Objects;

public final class PlaceHoldService implements PlaceHold {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;
    private final int activeHoldLimit;

    /** @param activeHoldLimit how many active holds one user may have at once (the service's configured limit) */
    public PlaceHoldService(CreditsPort credits, Clock clock, EntryIds ids, int activeHoldLimit) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        if (activeHoldLimit < 1) {
            throw new IllegalArgumentException("the limit of active holds per user is at least 1");
        }
        this.activeHoldLimit = activeHoldLimit;
    }

    @Override
    public MoveOutcome place(Command command) {
        // The expiry as it applies, not as sent: leaving it out and sending the default are one request.
        String fingerprint = RequestFingerprint.of("hold", command.userId().value(), Long.toString(command.amount().units()),
                command.reference().orElse(null), Long.toString(command.expiry().toSeconds()));
        return credits.placeHold(new HoldRequest(ids.next(), command.userId(), command.amount(), command.reference(),
                command.expiry(), activeHoldLimit, new Idempotency(command.caller(), Operation.HOLD, command.key(), fingerprint),
                Timestamps.now(clock)));
    }
}
