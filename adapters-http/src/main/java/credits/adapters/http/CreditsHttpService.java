package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.GetOrCreateCredit;
import credits.domain.Balance;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Set;

/** The caller's own balance. Handlers translate HTTP to a use case call and back; errors are thrown, not written. */
final class CreditsHttpService implements HttpService {

    static final String CREDITS_PATH = "/api/billing/credits";

    private final GetOrCreateCredit getOrCreateCredit;
    private final Admission admission;

    CreditsHttpService(GetOrCreateCredit getOrCreateCredit, Admission admission) {
        this.getOrCreateCredit = Objects.requireNonNull(getOrCreateCredit, "getOrCreateCredit");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    @Override
    public void routing(HttpRules rules) {
        // Helidon 4.5 does not route HEAD to GET handlers by itself.
        rules.get(CREDITS_PATH, this::getOwnCredit)
                .head(CREDITS_PATH, this::getOwnCredit)
                .any(CREDITS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD));
    }

    private void getOwnCredit(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        QueryParameters.allowOnly(request.query(), Set.of());
        Balance balance = getOrCreateCredit.getOrCreate(caller.userId());
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, CreditResponse.from(balance));
    }
}
