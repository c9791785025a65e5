package credits.application.service;

import credits.application.port.in.GrantCredits;
import credits.application.port.out.EntryIds;
import credits.domain.Operation;
import credits.domain.CreditsPort;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.LotTerms;
import credits.domain.Idempotency;
import credits.domain.MoveOutcome;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

public final class GrantCreditsService implements GrantCredits {

    private final CreditsPort credits;
    private final Clock clock;
    private final EntryIds ids;

    public GrantCreditsService(CreditsPort credits, Clock clock, EntryIds ids) {
        this.credits = Objects.requireNonNull(credits, "credits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public MoveOutcome grant(Command command) {
        Instant now = Timestamps.now(clock);
        LotTerms terms = command.terms();
        terms.expiresAt().ifPresent(expiry -> LotTerms.requireExpiryFrom(expiry, now));
        // A grant without terms fingerprints as before lots existed, so a v1 client's retry still replays.
        boolean defaultTerms = terms.equals(LotTerms.DEFAULT_GRANT);
        String fingerprint = defaultTerms
                ? RequestFingerprint.of("grant", command.userId().value(), Long.toString(command.amount().units()),
                        command.reason().orElse(null))
                : RequestFingerprint.of("grant", command.userId().value(), Long.toString(command.amount().units()),
                        command.reason().orElse(null), terms.category().code(), Integer.toString(terms.priority()),
                        terms.expiresAt().map(Instant::toString).orElse(null));
        return credits.grant(new Grant(ids.next(), command.userId(), command.amount(), terms,
                command.reason(), new Idempotency(command.caller(), Operation.GRANT, command.key(), fingerprint), now));
    }
}
