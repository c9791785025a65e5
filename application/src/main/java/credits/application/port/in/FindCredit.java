package credits.application.port.in;

import credits.domain.Balance;
import credits.domain.UserId;

import java.util.Optional;

/** An admin looks at any developer's credit; looking never opens one. */
public interface FindCredit {

    Optional<Balance> find(UserId userId);
}
