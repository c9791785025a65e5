package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.FieldErrors;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.GetLowBalanceThreshold;
import credits.application.port.in.SetLowBalanceThreshold;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Low-balance alerts: a developer reads and sets their own threshold, an admin sets any user's. Every answer is the
 * threshold that applies afterwards (the user's own, else the configured default). Setting one opens a user's
 * account at zero when they have none, as reading the own balance does.
 */
final class AlertsHttpService implements HttpService {

    static final String OWN_PATH = "/api/billing/credits/alerts";
    static final String ADMIN_PATH = AdminCreditsHttpService.ACCOUNT_PATH + "/alerts";

    private final GetLowBalanceThreshold getThreshold;
    private final SetLowBalanceThreshold setThreshold;
    private final Admission admission;

    AlertsHttpService(UseCases useCases, Admission admission) {
        this.getThreshold = Objects.requireNonNull(useCases.getLowBalanceThreshold(), "getLowBalanceThreshold");
        this.setThreshold = Objects.requireNonNull(useCases.setLowBalanceThreshold(), "setLowBalanceThreshold");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(OWN_PATH, this::getOwn)
                .head(OWN_PATH, this::getOwn)
                .put(OWN_PATH, this::setOwn)
                .any(OWN_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD, Method.PUT))
                .put(ADMIN_PATH, this::setForUser)
                .any(ADMIN_PATH, MethodNotAllowed.allowing(Method.PUT));
    }

    private void getOwn(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        QueryParameters.allowOnly(request.query(), Set.of());
        send(request, response, getThreshold.get(caller.userId()));
    }

    private void setOwn(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        AlertRequest body = AlertRequest.from(PlainBody.read(request));
        send(request, response, setThreshold.set(body.command(caller.userId())));
    }

    private void setForUser(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        JsonNode json = PlainBody.read(request);
        FieldErrors errors = new FieldErrors();
        Optional<UserId> userId = AdminCreditsHttpService.pathUserId(request, errors);
        errors.throwIfAny();
        AlertRequest body = AlertRequest.from(json);
        send(request, response, setThreshold.set(body.command(userId.orElseThrow())));
    }

    private static void send(ServerRequest request, ServerResponse response, Optional<Usdc> threshold) {
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, AlertResponse.from(threshold));
    }
}
