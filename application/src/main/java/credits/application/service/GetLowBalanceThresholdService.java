package credits.application.service;

import credits.application.port.in.GetLowBalanceThreshold;
import credits.domain.CreditsPort;
import credits.domain.Usdc;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Optional;

public final class GetLowBalanceThresholdService implements GetLowBalanceThreshold {

    private final CreditsPort credits;

    public GetLowBalanceThresholdService(CreditsPort credits) {
        this.credits = Objects.requireNonNull(credits, "credits");
    }

    @Override
    public Optional<Usdc> get(UserId userId) {
        return credits.lowBalanceThreshold(userId);
    }
}
