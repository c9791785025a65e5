package credits.application.port.out;

import credits.domain.DueDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends one event to its endpoint, signed for an attempt made {@code at} (each attempt is signed
 * afresh, with the same event id). Implementations bound the wait themselves ({@link #TIMEOUT}) and
 * never throw for what the receiver did.
 */
@FunctionalInterface
public interface WebhookSender {

    /** api.md: a receiver gets 10 s to answer. */
    Duration TIMEOUT = Duration.ofSeconds(10);

    /** @return the receiver's HTTP status, or empty when no answer came (refused, timed out, unreachable) */
    Optional<Integer> send(DueDelivery delivery, Instant at);
}
