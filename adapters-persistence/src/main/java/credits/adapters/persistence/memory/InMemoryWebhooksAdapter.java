package credits.adapters.persistence.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import credits.domain.CreditEvent;
import credits.domain.Delivery;
import credits.domain.DeliveryAttempt;
import credits.domain.DeliveryPage;
import credits.domain.DeliveryStatus;
import credits.domain.DueDelivery;
import credits.domain.EndpointId;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.WebhookEndpoint;
import credits.domain.WebhooksPort;

/**
 * {@link WebhooksPort} in memory, for {@code CREDITS_STORE=memory}: the endpoints and the outbox
 * that {@link InMemoryCreditsAdapter}'s moves fill, under one lock. Nothing survives a restart.
 */
public final class InMemoryWebhooksAdapter implements WebhooksPort {

    private final Object lock = new Object();
    // Guarded by lock.
    private final Map<EndpointId, WebhookEndpoint> endpoints = new LinkedHashMap<>();
    private final List<Queued> outbox = new ArrayList<>();

    @Override
    public void createEndpoint(WebhookEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        synchronized (lock) {
            if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
                throw new IllegalStateException("an endpoint with this id exists");
            }
        }
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        synchronized (lock) {
            return List.copyOf(endpoints.values());
        }
    }

    @Override
    public boolean deleteEndpoint(EndpointId id, Instant now) {
        Objects.requireNonNull(id, "id");
        synchronized (lock) {
            return endpoints.remove(id) != null;
        }
    }

    @Override
    public Optional<DeliveryPage> deliveries(EndpointId id, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        synchronized (lock) {
            if (!endpoints.containsKey(id)) {
                return Optional.empty();
            }
            long before = after.map(HistoryCursor::position).orElse(Long.MAX_VALUE);
            List<Delivery> page = new ArrayList<>();
            Optional<HistoryCursor> next = Optional.empty();
            Queued last = null;
            for (int i = outbox.size() - 1; i >= 0; i--) {
                Queued queued = outbox.get(i);
                if (!queued.endpointId().equals(id) || queued.position() >= before) {
                    continue;
                }
                if (page.size() == limit) {
                    next = Optional.of(new HistoryCursor(last.position()));
                    break;
                }
                page.add(queued.delivery());
                last = queued;
            }
            return Optional.of(new DeliveryPage(page, next));
        }
    }

    @Override
    public List<DueDelivery> claimDue(Instant now, Duration lease, int max) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        synchronized (lock) {
            List<Queued> due = outbox.stream()
                    .filter(queued -> queued.status() == DeliveryStatus.PENDING && !queued.nextAttemptAt().isAfter(now)
                            && endpoints.containsKey(queued.endpointId()))
                    .sorted(java.util.Comparator.comparing(Queued::nextAttemptAt))
                    .limit(max)
                    .toList();
            List<DueDelivery> claimed = new ArrayList<>(due.size());
            for (Queued queued : due) {
                replace(queued.withNextAttempt(now.plus(lease)));
                WebhookEndpoint endpoint = endpoints.get(queued.endpointId());
                claimed.add(new DueDelivery(queued.event(), endpoint.id(), endpoint.url(), endpoint.secret(), queued.attempts()));
            }
            return claimed;
        }
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        synchronized (lock) {
            for (Queued queued : outbox) {
                if (queued.event().id().equals(attempt.eventId()) && queued.endpointId().equals(attempt.endpointId())) {
                    if (queued.status() == DeliveryStatus.PENDING) {
                        replace(new Queued(queued.position(), queued.event(), queued.endpointId(), attempt.outcome(),
                                queued.attempts() + 1, attempt.statusCode(), attempt.nextAttemptAt().orElse(queued.nextAttemptAt()),
                                queued.createdAt()));
                    }
                    return;
                }
            }
        }
    }

    @Override
    public long pendingDeliveries() {
        synchronized (lock) {
            return outbox.stream().filter(queued -> queued.status() == DeliveryStatus.PENDING
                    && endpoints.containsKey(queued.endpointId())).count();
        }
    }

    /** Queues each event for every endpoint that wants it now; called with the move that caused them. */
    void record(List<CreditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (CreditEvent event : events) {
                for (WebhookEndpoint endpoint : endpoints.values()) {
                    if (endpoint.wants(event.type())) {
                        outbox.add(new Queued(outbox.size() + 1L, event, endpoint.id(), DeliveryStatus.PENDING, 0, Optional.empty(),
                                event.createdAt(), event.createdAt()));
                    }
                }
            }
        }
    }

    // Guarded by lock: a delivery's position is its place in the outbox, counted from 1.
    private void replace(Queued updated) {
        outbox.set((int) (updated.position() - 1), updated);
    }

    private record Queued(long position, CreditEvent event, EndpointId endpointId, DeliveryStatus status, int attempts,
                          Optional<Integer> lastStatusCode, Instant nextAttemptAt, Instant createdAt) {

        Queued withNextAttempt(Instant at) {
            return new Queued(position, event, endpointId, status, attempts, lastStatusCode, at, createdAt);
        }

        Delivery delivery() {
            return new Delivery(event.id(), event.type(), status, attempts, lastStatusCode,
                    status == DeliveryStatus.PENDING ? Optional.of(nextAttemptAt) : Optional.empty(), createdAt);
        }
    }
}
