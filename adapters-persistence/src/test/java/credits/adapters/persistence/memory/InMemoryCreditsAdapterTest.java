package credits.adapters.persistence.memory;

import credits.adapters.persistence.CreditsPortContract;
import credits.domain.CreditsPort;
import credits.domain.UserId;
import credits.domain.Usdc;

class InMemoryCreditsAdapterTest extends CreditsPortContract {

    private final InMemoryCreditsAdapter adapter = new InMemoryCreditsAdapter();

    @Override
    protected CreditsPort port() {
        return adapter;
    }

    // A map holds at most one value per key, so presence is the count.
    @Override
    protected long accountRowCount(UserId userId) {
        return adapter.find(userId, java.time.Instant.parse("2100-01-01T00:00:00Z")).isPresent() ? 1 : 0;
    }

}
