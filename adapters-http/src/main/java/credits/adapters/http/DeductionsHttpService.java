package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.DeductCredits;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;

/** The metering gateway charges usage to a user's account. */
final class DeductionsHttpService implements HttpService {

    static final String DEDUCTIONS_PATH = "/api/billing/credits/deductions";

    private final DeductCredits deductCredits;
    private final Admission admission;
    private final MoneyMoveResponses responses;

    DeductionsHttpService(DeductCredits deductCredits, Admission admission, LedgerMetrics ledgerMetrics) {
        this.deductCredits = Objects.requireNonNull(deductCredits, "deductCredits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.responses = new MoneyMoveResponses(LedgerMetrics.Operation.DEDUCTION, ledgerMetrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(DEDUCTIONS_PATH, this::deduct)
                .any(DEDUCTIONS_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void deduct(ServerRequest request, ServerResponse response) {
        MoneyMovePost post = MoneyMovePost.accept(request, admission, Caller.SCOPE_METER);
        DeductionRequest deduction = DeductionRequest.from(post.body());
        responses.send(request, response, deductCredits.deduct(deduction.command(post.caller().userId(), post.key())));
    }
}
