package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.RefundDeduction;
import credits.domain.MoveOutcome;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;

/** Support gives back all or part of a deduction. */
final class RefundsHttpService implements HttpService {

    static final String REFUNDS_PATH = "/api/admin/billing/credits/refunds";

    private final RefundDeduction refundDeduction;
    private final Admission admission;
    private final MoneyMoveResponses responses;

    RefundsHttpService(RefundDeduction refundDeduction, Admission admission, LedgerMetrics ledgerMetrics) {
        this.refundDeduction = Objects.requireNonNull(refundDeduction, "refundDeduction");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.responses = new MoneyMoveResponses(LedgerMetrics.Operation.REFUND, ledgerMetrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(REFUNDS_PATH, this::refund)
                .any(REFUNDS_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void refund(ServerRequest request, ServerResponse response) {
        MoneyMovePost post = MoneyMovePost.accept(request, admission, Caller.SCOPE_ADMIN);
        RefundRequest refund = RefundRequest.from(post.body());
        // An id that cannot be ours is unknown without asking the database, and answered as any unknown one is.
        MoveOutcome outcome = refund.command(post.caller().userId(), post.key())
                .map(refundDeduction::refund)
                .orElseGet(MoveOutcome.DeductionNotFound::new);
        responses.send(request, response, outcome);
    }
}
