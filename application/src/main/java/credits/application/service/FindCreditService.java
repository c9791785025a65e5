package credits.application.service;

import credits.application.port.in.FindCredit;
import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Optional;

public final class FindCreditService implements FindCredit {

    private final CreditsPort credits;

    public FindCreditService(CreditsPort credits) {
        this.credits = Objects.requireNonNull(credits, "credits");
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        return credits.find(userId);
    }
}
