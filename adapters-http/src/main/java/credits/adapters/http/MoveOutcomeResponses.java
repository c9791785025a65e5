package credits.adapters.http;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.json.JsonResponses;
import credits.adapters.http.observe.LedgerMetrics;
import credits.adapters.http.observe.LedgerMetrics.Outcome;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one mapping of a money move's outcome to HTTP, shared by grants, top-ups, deductions, refunds and holds, and
 * so also where each outcome is counted. Only applied moves are stored for replay, so a replay is always the
 * original status and body: the entry, or what the route makes of it ({@link Answer}).
 */
final class MoveOutcomeResponses {

    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final Operation operation;
    private final LedgerMetrics metrics;

    MoveOutcomeResponses(Operation operation, LedgerMetrics metrics) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * What a route answers for the entry its move wrote, the first time and on every replay alike, so both
     * bodies are one; most answer {@link #TRANSACTION_CREATED}.
     */
    record Answer(Status status, Function<LedgerEntry, Object> body) {

        Answer {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(body, "body");
        }
    }

    /** 201 and the entry itself. */
    static final Answer TRANSACTION_CREATED = new Answer(Status.CREATED_201, TransactionResponse::from);

    /** Sends the 201 transaction, or throws the refusal as an {@link ApiException}. */
    void send(ServerRequest request, ServerResponse response, MoveOutcome outcome) {
        send(request, response, outcome, TRANSACTION_CREATED);
    }

    /** Sends {@code answer} for the entry written (now or by the request replayed), or throws the refusal as an {@link ApiException}. */
    void send(ServerRequest request, ServerResponse response, MoveOutcome outcome, Answer answer) {
        switch (outcome) {
            case MoveOutcome.Applied applied -> {
                metrics.record(operation, Outcome.APPLIED);
                answer(request, response, answer, applied.entry());
            }
            case MoveOutcome.Replayed replayed -> {
                metrics.record(operation, Outcome.REPLAYED);
                response.header(IDEMPOTENT_REPLAYED, "true");
                answer(request, response, answer, replayed.entry());
            }
            case MoveOutcome.KeyReused ignored -> {
                metrics.record(operation, Outcome.KEY_REUSED);
                throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was already used for a different request; use a new key for a new request");
            }
            case MoveOutcome.InsufficientBalance refused -> {
                metrics.record(operation, Outcome.INSUFFICIENT_BALANCE);
                throw new ApiException(ErrorCode.INSUFFICIENT_BALANCE,
                        "Available balance " + refused.available().format() + " is less than " + refused.requested().format());
            }
            case MoveOutcome.DeductionNotFound ignored -> {
                metrics.record(operation, Outcome.DEDUCTION_NOT_FOUND);
                throw new ApiException(ErrorCode.NOT_FOUND, "No deduction has this deduction_id");
            }
            case MoveOutcome.RefundExceedsDeduction refused -> {
                metrics.record(operation, Outcome.REFUND_EXCEEDS_DEDUCTION);
                throw new ApiException(ErrorCode.REFUND_EXCEEDS_DEDUCTION,
                        "The refunds would exceed the deduction: " + refused.refundable().format() + " of it is still refundable");
            }
            case MoveOutcome.PaymentAlreadyCredited ignored -> {
                metrics.record(operation, Outcome.PAYMENT_ALREADY_CREDITED);
                // Named in the detail: the contract keeps `errors` for validation failures.
                throw new ApiException(ErrorCode.PAYMENT_ALREADY_CREDITED,
                        "This payment_reference was already credited; a payment is credited once");
            }
            case MoveOutcome.BalanceLimitExceeded refused -> {
                metrics.record(operation, Outcome.BALANCE_LIMIT_EXCEEDED);
                // Named in the detail: the contract keeps `errors` for validation failures.
                throw new ApiException(ErrorCode.BALANCE_LIMIT_EXCEEDED, "amount_usdc would take the balance past the largest"
                        + " the ledger can hold, " + refused.largestBalance().format());
            }
            case MoveOutcome.HoldNotFound ignored -> {
                metrics.record(operation, Outcome.HOLD_NOT_FOUND);
                throw new ApiException(ErrorCode.NOT_FOUND, "No hold has this id");
            }
            case MoveOutcome.HoldNotActive refused -> {
                metrics.record(operation, Outcome.HOLD_NOT_ACTIVE);
                throw new ApiException(ErrorCode.HOLD_NOT_ACTIVE,
                        "The hold is " + refused.status().code() + ", not active; a hold ends once");
            }
            case MoveOutcome.CaptureExceedsHold refused -> {
                metrics.record(operation, Outcome.CAPTURE_EXCEEDS_HOLD);
                // Named in the detail: the contract keeps `errors` for validation failures.
                throw new ApiException(ErrorCode.CAPTURE_EXCEEDS_HOLD,
                        "amount_usdc is more than the hold reserves, " + refused.held().format());
            }
            case MoveOutcome.HoldLimitReached refused -> {
                metrics.record(operation, Outcome.HOLD_LIMIT_REACHED);
                throw new ApiException(ErrorCode.HOLD_LIMIT_REACHED, "The user already has " + refused.limit()
                        + " active holds, the most allowed; capture or release one first");
            }
        }
    }

    private static void answer(ServerRequest request, ServerResponse response, Answer answer, LedgerEntry entry) {
        JsonResponses.send(request, response, answer.status(), JsonResponses.APPLICATION_JSON, answer.body().apply(entry));
    }
}
