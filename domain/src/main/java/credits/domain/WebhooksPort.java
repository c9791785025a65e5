package credits.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the webhooks need from storage: the endpoints admins set, and the outbox that money moves
 * fill (a move's events are written in its transaction by the {@link CreditsPort}, one delivery per
 * endpoint that wants the event and existed then). Every adapter passes the same contract suite
 * ({@code WebhooksPortContract}).
 */
public interface WebhooksPort {

    /** Stores a new endpoint; it gets the events recorded from now on. */
    void createEndpoint(WebhookEndpoint endpoint);

    /** The endpoints not deleted, oldest first. */
    List<WebhookEndpoint> endpoints();

    /** Deletes the endpoint: it gets nothing more, pending deliveries included. {@code false} when there was none. */
    boolean deleteEndpoint(EndpointId id, Instant now);

    /** The endpoint's deliveries, newest first; empty when there is no such endpoint (or it was deleted). */
    Optional<DeliveryPage> deliveries(EndpointId id, Optional<HistoryCursor> after, int limit);

    /**
     * Claims up to {@code max} pending deliveries due at {@code now} (of endpoints not deleted), oldest
     * due first, for {@code lease}: no other claim (another dispatcher, another instance) gets them
     * until the lease ends or their attempt is recorded. A dispatcher that dies mid-attempt leaves
     * the delivery to be claimed again when its lease ends (at least once, never lost).
     */
    List<DueDelivery> claimDue(Instant now, Duration lease, int max);

    /** Records an attempt's outcome for a delivery this dispatcher claimed. */
    void recordAttempt(DeliveryAttempt attempt);

    /** How many deliveries are pending now (for the metrics). */
    long pendingDeliveries();
}
