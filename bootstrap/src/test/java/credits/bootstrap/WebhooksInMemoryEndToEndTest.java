package credits.bootstrap;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook contract with {@code CREDITS_STORE=memory}: the same dispatcher over the in-memory outbox. */
class WebhooksInMemoryEndToEndTest extends WebhooksEndToEndContract {

    private static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final RunningService SERVICE = RunningService.with(
            dir -> TestSettings.withWebhooks(TestSettings.memory(dir), RETRIES, DEFAULT_THRESHOLD), CLOCK);

    @Override
    RunningService service() {
        return SERVICE;
    }

    @Override
    MovableClock clock() {
        return CLOCK;
    }
}
