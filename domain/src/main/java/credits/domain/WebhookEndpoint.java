package credits.domain;

import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where events are delivered: an {@code http} or {@code https} URL set by an admin (internal and
 * loopback addresses included: receivers are usually the platform's own services), the event types
 * it wants, and the secret its deliveries are signed with. It gets only events recorded after it
 * was created.
 */
public record WebhookEndpoint(EndpointId id, URI url, Set<CreditEventType> events, Optional<String> description,
                              WebhookSecret secret, Instant createdAt) {

    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_DESCRIPTION_LENGTH = 256;

    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        url = requireUrl(url);
        if (events.isEmpty()) {
            throw new InvalidValueException("must name at least one event type");
        }
        events = Set.copyOf(EnumSet.copyOf(events));
        Objects.requireNonNull(description, "description");
        description.ifPresent(text -> {
            if (text.length() > MAX_DESCRIPTION_LENGTH) {
                throw new InvalidValueException("must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
            }
        });
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * {@code url} if it is an absolute {@code http} or {@code https} URL with a host and no user info.
     *
     * @throws InvalidValueException otherwise
     */
    public static URI requireUrl(URI url) {
        if (url == null || url.toString().length() > MAX_URL_LENGTH) {
            throw new InvalidValueException("must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        String scheme = Optional.ofNullable(url.getScheme()).map(text -> text.toLowerCase(Locale.ROOT)).orElse("");
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawFragment() != null) {
            throw new InvalidValueException("must be an http or https URL with a host (no credentials, no fragment)");
        }
        return url;
    }

    /** Whether this endpoint wants events of {@code type}. */
    public boolean wants(CreditEventType type) {
        return events.contains(type);
    }
}
