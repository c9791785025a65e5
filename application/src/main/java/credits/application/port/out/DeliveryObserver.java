package credits.application.port.out;

import credits.domain.DueDelivery;

import java.time.Duration;
import java.util.Optional;

/** Told what each delivery attempt came to, for the metrics. */
public interface DeliveryObserver {

    /** Tells nothing to anyone. */
    DeliveryObserver NONE = new DeliveryObserver() {
    };

    /** A 2xx came, {@code latency} after the event was recorded. */
    default void delivered(DueDelivery delivery, Duration latency) {
    }

    /** An attempt got a non-2xx {@code status}, or no answer when empty; more may follow. */
    default void attemptFailed(DueDelivery delivery, Optional<Integer> status) {
    }

    /** The last attempt of the schedule failed: nothing more is sent. */
    default void failed(DueDelivery delivery) {
    }
}
