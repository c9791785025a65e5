package credits.application.service;

import credits.application.port.in.RefundDeduction;
import credits.application.port.out.EntryIds;
import credits.domain.Operation;
import credits.domain.CreditsPort;
import credits.domain.EntryType;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;
import credits.domain.Refund;

import java.time.Clock;
import java.util.Objects;

public final class RefundDeductionService implements RefundDeduction {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public RefundDeductionService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome refund(Command command) {
        // "the rest" is part of the request's meaning: a retry without an amount replays, even
        // though the rest is zero by then.
        String fingerprint = RequestFingerprint.of("refund", command.deductionId().toString(),
                command.amount().map(amount -> Long.toString(amount.units())).orElse(null), command.reason());
        return credits.refund(new Refund(ids.next(), command.deductionId(), command.amount(), command.reason(),
                new Idempotency(command.caller(), Operation.REFUND, command.key(), fingerprint), Timestamps.now(clock)));
    }
}
