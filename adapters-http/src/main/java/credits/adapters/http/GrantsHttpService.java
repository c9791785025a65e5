package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.GrantCredits;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;

/** Admins and finance add credits to any account. */
final class GrantsHttpService implements HttpService {

    static final String GRANT_PATH = "/api/admin/billing/credits/grant";

    private final GrantCredits grantCredits;
    private final Admission admission;
    private final MoneyMoveResponses responses;

    GrantsHttpService(GrantCredits grantCredits, Admission admission, LedgerMetrics ledgerMetrics) {
        this.grantCredits = Objects.requireNonNull(grantCredits, "grantCredits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.responses = new MoneyMoveResponses(LedgerMetrics.Operation.GRANT, ledgerMetrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(GRANT_PATH, this::grant)
                .any(GRANT_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void grant(ServerRequest request, ServerResponse response) {
        MoneyMovePost post = MoneyMovePost.accept(request, admission, Caller.SCOPE_ADMIN);
        GrantRequest grant = GrantRequest.from(post.body());
        responses.send(request, response, grantCredits.grant(grant.command(post.caller().userId(), post.key())));
    }
}
