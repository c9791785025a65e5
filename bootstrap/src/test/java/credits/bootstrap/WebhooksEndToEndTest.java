package credits.bootstrap;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook contract on PostgreSQL (the embedded database): events are written to the outbox in
 * the move's transaction and the dispatcher claims them with {@code FOR UPDATE SKIP LOCKED}.
 */
class WebhooksEndToEndTest extends WebhooksEndToEndContract {

    private static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final RunningService SERVICE = RunningService.with(
            dir -> TestSettings.withWebhooks(TestSettings.embedded(dir), RETRIES, DEFAULT_THRESHOLD), CLOCK);

    @Override
    RunningService service() {
        return SERVICE;
    }

    @Override
    MovableClock clock() {
        return CLOCK;
    }
}
