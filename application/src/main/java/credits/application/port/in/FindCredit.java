package credits.application.port.in;

import credits.domain.Credit;
import credits.domain.UserId;

import java.util.Optional;

/** An admin looks at any developer's credit; looking never opens one. */
public interface FindCredit {

    Optional<Credit> find(UserId userId);
}
