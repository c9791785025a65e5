package credits.application.service;

import credits.application.port.in.DeductCredits;
import credits.application.port.out.EntryIds;
import credits.domain.Operation;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryType;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;

import java.time.Clock;
import java.util.Objects;

public final class DeductCreditsService implements DeductCredits {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public DeductCreditsService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome deduct(Command command) {
        String fingerprint = RequestFingerprint.of("deduction", command.userId().value(),
                Long.toString(command.amount().units()), command.reference().orElse(null));
        return credits.deduct(new Deduction(ids.next(), command.userId(), command.amount(), command.reference(),
                new Idempotency(command.caller(), Operation.DEDUCTION, command.key(), fingerprint),
                Timestamps.now(clock)));
    }
}
