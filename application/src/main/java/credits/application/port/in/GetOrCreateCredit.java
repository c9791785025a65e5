package credits.application.port.in;

import credits.domain.Balance;
import credits.domain.UserId;

/** A developer opens the billing page: their credit, opened at zero on first sight. */
public interface GetOrCreateCredit {

    Balance getOrCreate(UserId userId);
}
