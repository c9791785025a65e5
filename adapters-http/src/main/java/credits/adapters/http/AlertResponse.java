package credits.adapters.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import credits.domain.Usdc;

import java.util.Optional;

/** The low-balance threshold that applies to a user: {@code null} when neither they nor the deployment set one. */
public record AlertResponse(@JsonProperty(AlertRequest.LOW_BALANCE) String lowBalanceUsdc) {

    static AlertResponse from(Optional<Usdc> threshold) {
        return new AlertResponse(threshold.map(Usdc::format).orElse(null));
    }
}
