package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.RefundDeduction;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;

/**
 * The routes that move money: the metering gateway charges usage, admins and finance grant credits
 * and give back deductions. Each is an idempotent POST ({@link IdempotentPost}) whose outcome is
 * answered by {@link MoveOutcomeResponses}.
 */
final class MoneyMovesHttpService implements HttpService {

    static final String DEDUCTIONS_PATH = "/api/billing/credits/deductions";
    static final String GRANT_PATH = "/api/admin/billing/credits/grant";
    static final String REFUNDS_PATH = "/api/admin/billing/credits/refunds";

    private final DeductCredits deductCredits;
    private final GrantCredits grantCredits;
    private final RefundDeduction refundDeduction;
    private final Admission admission;
    private final MoveOutcomeResponses deductions;
    private final MoveOutcomeResponses grants;
    private final MoveOutcomeResponses refunds;

    MoneyMovesHttpService(UseCases useCases, Admission admission, LedgerMetrics ledgerMetrics) {
        this.deductCredits = Objects.requireNonNull(useCases.deductCredits(), "deductCredits");
        this.grantCredits = Objects.requireNonNull(useCases.grantCredits(), "grantCredits");
        this.refundDeduction = Objects.requireNonNull(useCases.refundDeduction(), "refundDeduction");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.deductions = new MoveOutcomeResponses(Operation.DEDUCTION, ledgerMetrics);
        this.grants = new MoveOutcomeResponses(Operation.GRANT, ledgerMetrics);
        this.refunds = new MoveOutcomeResponses(Operation.REFUND, ledgerMetrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(DEDUCTIONS_PATH, this::deduct)
                .any(DEDUCTIONS_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(GRANT_PATH, this::grant)
                .any(GRANT_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(REFUNDS_PATH, this::refund)
                .any(REFUNDS_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void deduct(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_METER);
        AmountForUser body = AmountForUser.from(post.body(), "reference", LedgerText::reference);
        deductions.send(request, response, deductCredits.deduct(new DeductCredits.Command(post.caller().userId(), post.key(),
                body.userId(), body.amount(), body.text())));
    }

    private void grant(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_ADMIN);
        AmountForUser body = AmountForUser.from(post.body(), "reason", LedgerText::reason);
        grants.send(request, response, grantCredits.grant(new GrantCredits.Command(post.caller().userId(), post.key(),
                body.userId(), body.amount(), body.text())));
    }

    private void refund(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_ADMIN);
        RefundRequest body = RefundRequest.from(post.body());
        // An id that cannot be ours is unknown without asking the database, and answered as any unknown one is.
        MoveOutcome outcome = body.command(post.caller().userId(), post.key())
                .map(refundDeduction::refund)
                .orElseGet(MoveOutcome.DeductionNotFound::new);
        refunds.send(request, response, outcome);
    }
}
