package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.RefundDeduction;
import credits.application.port.in.TopupCredits;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The routes that move money: the metering gateway charges usage, the payment service credits deposits,
 * admins and finance grant credits and give back deductions. Each is an idempotent POST ({@link IdempotentPost}) whose outcome is
 * answered by {@link MoveOutcomeResponses}.
 */
final class MoneyMovesHttpService implements HttpService {

    static final String DEDUCTIONS_PATH = "/api/billing/credits/deductions";
    static final String GRANT_PATH = "/api/admin/billing/credits/grant";
    static final String REFUNDS_PATH = "/api/admin/billing/credits/refunds";
    static final String TOPUPS_PATH = "/api/billing/credits/topups";

    private final DeductCredits deductCredits;
    private final GrantCredits grantCredits;
    private final RefundDeduction refundDeduction;
    private final TopupCredits topupCredits;
    private final Admission admission;
    private final Clock clock;
    private final MoveOutcomeResponses deductions;
    private final MoveOutcomeResponses grants;
    private final MoveOutcomeResponses refunds;
    private final MoveOutcomeResponses topups;

    /** @param clock what a grant's {@code expires_at} is checked against (in the future, at most ten years ahead) */
    MoneyMovesHttpService(UseCases useCases, Admission admission, LedgerMetrics ledgerMetrics, Clock clock) {
        this.deductCredits = Objects.requireNonNull(useCases.deductCredits(), "deductCredits");
        this.grantCredits = Objects.requireNonNull(useCases.grantCredits(), "grantCredits");
        this.refundDeduction = Objects.requireNonNull(useCases.refundDeduction(), "refundDeduction");
        this.topupCredits = Objects.requireNonNull(useCases.topupCredits(), "topupCredits");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deductions = new MoveOutcomeResponses(Operation.DEDUCTION, ledgerMetrics);
        this.grants = new MoveOutcomeResponses(Operation.GRANT, ledgerMetrics);
        this.refunds = new MoveOutcomeResponses(Operation.REFUND, ledgerMetrics);
        this.topups = new MoveOutcomeResponses(Operation.TOPUP, ledgerMetrics);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(DEDUCTIONS_PATH, this::deduct)
                .any(DEDUCTIONS_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(GRANT_PATH, this::grant)
                .any(GRANT_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(REFUNDS_PATH, this::refund)
                .any(REFUNDS_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(TOPUPS_PATH, this::topup)
                .any(TOPUPS_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void deduct(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_METER);
        AmountForUser body = AmountForUser.from(post.body(), "reference", LedgerText::reference);
        deductions.send(request, response, deductCredits.deduct(new DeductCredits.Command(post.caller().userId(), post.key(),
                body.userId(), body.amount(), body.text())));
    }

    private void grant(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_ADMIN);
        // Milliseconds, as the use case stores times: an expiry is judged against the instant it would be written at.
        GrantRequest body = GrantRequest.from(post.body(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        grants.send(request, response, grantCredits.grant(body.command(post.caller().userId(), post.key())));
    }

    private void topup(ServerRequest request, ServerResponse response) {
        // Finance may also credit a deposit by hand, as it may grant.
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_DEPOSIT, Caller.SCOPE_ADMIN);
        TopupRequest body = TopupRequest.from(post.body());
        topups.send(request, response, topupCredits.topup(body.command(post.caller().userId(), post.key())));
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
