package credits.adapters.http;

import credits.adapters.http.auth.Authenticator;
import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.application.port.in.RefundDeduction;
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
    private final Authenticator authenticator;

    RefundsHttpService(RefundDeduction refundDeduction, Authenticator authenticator) {
        this.refundDeduction = Objects.requireNonNull(refundDeduction, "refundDeduction");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(REFUNDS_PATH, this::refund)
                .any(REFUNDS_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void refund(ServerRequest request, ServerResponse response) {
        MoneyMovePost post = MoneyMovePost.accept(request, authenticator, Caller.SCOPE_ADMIN);
        RefundRequest refund = RefundRequest.from(post.body());
        MoneyMoveResponses.send(request, response, refundDeduction.refund(refund.command(post.caller().userId(), post.key())));
    }
}
