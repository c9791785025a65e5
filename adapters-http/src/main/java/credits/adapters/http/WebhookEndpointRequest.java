package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.json.BodyFields;
import credits.application.port.in.CreateWebhookEndpoint;
import credits.domain.CreditEventType;
import credits.domain.InvalidValueException;
import credits.domain.WebhookEndpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /api/admin/billing/webhooks}: {@code {"url", "events"?, "description"?}}. {@code url} is an
 * {@code http} or {@code https} URL (loopback and internal hosts included); {@code events} left out means all six,
 * an empty list is refused (it would be an endpoint that gets nothing).
 */
record WebhookEndpointRequest(CreateWebhookEndpoint.Command command) {

    static final String URL = "url";
    static final String EVENTS = "events";
    static final String DESCRIPTION = "description";
    private static final Set<String> FIELDS = Set.of(URL, EVENTS, DESCRIPTION);
    private static final String EVENT_TYPES = Arrays.stream(CreditEventType.values()).map(CreditEventType::code)
            .collect(Collectors.joining(", "));

    /** @throws credits.adapters.http.error.ApiException 400 naming every bad field */
    static WebhookEndpointRequest from(JsonNode body) {
        BodyFields fields = BodyFields.of(body, FIELDS);
        Optional<URI> url = fields.required(URL, WebhookEndpointRequest::url);
        Optional<Set<CreditEventType>> events = fields.optionalStrings(EVENTS, WebhookEndpointRequest::events);
        Optional<String> description = fields.optional(DESCRIPTION, WebhookEndpointRequest::description);
        fields.throwIfInvalid();
        return new WebhookEndpointRequest(new CreateWebhookEndpoint.Command(url.orElseThrow(),
                events.orElseGet(() -> EnumSet.allOf(CreditEventType.class)), description));
    }

    private static URI url(String text) {
        try {
            return WebhookEndpoint.requireUrl(new URI(text));
        } catch (URISyntaxException e) {
            throw new InvalidValueException("must be an http or https URL");
        }
    }

    private static Set<CreditEventType> events(List<String> codes) {
        if (codes.isEmpty()) {
            throw new InvalidValueException("must name at least one event type (leave it out for all of them)");
        }
        Set<CreditEventType> events = EnumSet.noneOf(CreditEventType.class);
        for (String code : codes) {
            CreditEventType type = CreditEventType.find(code)
                    .orElseThrow(() -> new InvalidValueException("must hold only event types: " + EVENT_TYPES));
            if (!events.add(type)) {
                throw new InvalidValueException("must name each event type at most once");
            }
        }
        return events;
    }

    private static String description(String text) {
        if (text.length() > WebhookEndpoint.MAX_DESCRIPTION_LENGTH) {
            throw new InvalidValueException("must be at most " + WebhookEndpoint.MAX_DESCRIPTION_LENGTH + " characters");
        }
        return text;
    }
}
