package credits.bootstrap;

import credits.application.port.in.SettleExpiries;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs the expiry sweep every interval on its own scheduler thread, so owed {@code expiry} entries
 * are written within a few seconds of their instant even for users nobody touches. Reads never wait
 * for it (they already exclude what expired), and every instance may run one: the store claims each
 * user with {@code FOR UPDATE SKIP LOCKED}, so no expiry is written twice. A failed pass is tried
 * again at the next run; a user's own next move writes its expiries meanwhile.
 */
final class ExpirySweeper {

    private ExpirySweeper() {
    }

    static AutoCloseable start(SettleExpiries settle, Duration interval) {
        Objects.requireNonNull(settle, "settle");
        return RepeatedPasses.start("expiry-sweeper", interval, settle::settleOnce, SettleExpiries.USERS_PER_PASS);
    }
}
