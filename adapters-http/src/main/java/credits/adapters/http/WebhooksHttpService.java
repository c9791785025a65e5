package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.CreateWebhookEndpoint;
import credits.application.port.in.DeleteWebhookEndpoint;
import credits.application.port.in.ListWebhookDeliveries;
import credits.application.port.in.ListWebhookEndpoints;
import credits.domain.EndpointId;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Set;

/**
 * Admins manage the endpoints events are delivered to, and see how each delivery went (scope {@code credits:admin}).
 * An endpoint's secret is in the creation's answer only: the listing never shows it, and nothing logs bodies.
 *
 * <p>An endpoint id is opaque: one that cannot be ours, of any shape, is the same 404 as an unknown or deleted one.
 */
final class WebhooksHttpService implements HttpService {

    static final String ENDPOINT_ID = "endpoint_id";
    static final String ENDPOINTS_PATH = "/api/admin/billing/webhooks";
    static final String ENDPOINT_PATH = ENDPOINTS_PATH + "/{" + ENDPOINT_ID + "}";
    static final String DELIVERIES_PATH = ENDPOINT_PATH + "/deliveries";

    private final CreateWebhookEndpoint createEndpoint;
    private final ListWebhookEndpoints listEndpoints;
    private final DeleteWebhookEndpoint deleteEndpoint;
    private final ListWebhookDeliveries listDeliveries;
    private final Admission admission;
    private final DeliveryCursors cursors;

    WebhooksHttpService(UseCases useCases, Admission admission, DeliveryCursors cursors) {
        this.createEndpoint = Objects.requireNonNull(useCases.createWebhookEndpoint(), "createWebhookEndpoint");
        this.listEndpoints = Objects.requireNonNull(useCases.listWebhookEndpoints(), "listWebhookEndpoints");
        this.deleteEndpoint = Objects.requireNonNull(useCases.deleteWebhookEndpoint(), "deleteWebhookEndpoint");
        this.listDeliveries = Objects.requireNonNull(useCases.listWebhookDeliveries(), "listWebhookDeliveries");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(ENDPOINTS_PATH, this::create)
                .get(ENDPOINTS_PATH, this::list)
                .head(ENDPOINTS_PATH, this::list)
                .any(ENDPOINTS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD, Method.POST))
                .delete(ENDPOINT_PATH, this::delete)
                .any(ENDPOINT_PATH, MethodNotAllowed.allowing(Method.DELETE))
                .get(DELIVERIES_PATH, this::listDeliveries)
                .head(DELIVERIES_PATH, this::listDeliveries)
                .any(DELIVERIES_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD));
    }

    private void create(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        WebhookEndpointRequest body = WebhookEndpointRequest.from(PlainBody.read(request));
        JsonResponses.send(request, response, Status.CREATED_201, JsonResponses.APPLICATION_JSON,
                CreatedWebhookEndpointResponse.from(createEndpoint.create(body.command())));
    }

    private void list(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        QueryParameters.allowOnly(request.query(), Set.of());
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON,
                WebhookEndpointsResponse.from(listEndpoints.list()));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        QueryParameters.allowOnly(request.query(), Set.of());
        if (!deleteEndpoint.delete(endpointId(request))) {
            throw notFound();
        }
        response.status(Status.NO_CONTENT_204).send();
    }

    private void listDeliveries(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        EndpointId endpoint = endpointId(request);
        ListWebhookDeliveries.Query query = DeliveriesQuery.from(request.query(), endpoint, cursors);
        DeliveriesResponse page = listDeliveries.list(query)
                .map(found -> DeliveriesResponse.from(found, endpoint, cursors))
                .orElseThrow(WebhooksHttpService::notFound);
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, page);
    }

    /** The path's endpoint id when it can be one of ours; anything else names no endpoint (404). */
    private static EndpointId endpointId(ServerRequest request) {
        return EndpointId.find(request.path().pathParameters().get(ENDPOINT_ID)).orElseThrow(WebhooksHttpService::notFound);
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No webhook endpoint has this id");
    }
}
