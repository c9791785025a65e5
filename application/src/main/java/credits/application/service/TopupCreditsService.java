package credits.application.service;

import credits.application.port.in.TopupCredits;
import credits.application.port.out.EntryIds;
import credits.domain.CreditsPort;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Topup;

import java.time.Clock;
import java.util.Objects;

public final class TopupCreditsService implements TopupCredits {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public TopupCreditsService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome topup(Command command) {
        String fingerprint = RequestFingerprint.of("topup", command.userId().value(),
                Long.toString(command.amount().units()), command.deposit().paymentReference(),
                command.deposit().memo().orElse(null));
        return credits.topup(new Topup(ids.next(), command.userId(), command.amount(), command.deposit(),
                new Idempotency(command.caller(), Operation.TOPUP, command.key(), fingerprint), Timestamps.now(clock)));
    }
}
