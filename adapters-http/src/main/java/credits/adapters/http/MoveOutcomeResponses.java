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

/**
 * The one mapping of a money move's outcome to HTTP, shared by grants, top-ups, deductions and refunds, and so
 * also where each outcome is counted. Only applied moves are stored for replay, so a replay is always
 * the original 201 and its body.
 */
final class MoveOutcomeResponses {

    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final Operation operation;
    private final LedgerMetrics metrics;

    MoveOutcomeResponses(Operation operation, LedgerMetrics metrics) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Sends the 201 transaction, or throws the refusal as an {@link ApiException}. */
    void send(ServerRequest request, ServerResponse response, MoveOutcome outcome) {
        switch (outcome) {
            case MoveOutcome.Applied applied -> {
                metrics.record(operation, Outcome.APPLIED);
                created(request, response, applied.entry());
            }
            case MoveOutcome.Replayed replayed -> {
                metrics.record(operation, Outcome.REPLAYED);
                response.header(IDEMPOTENT_REPLAYED, "true");
                created(request, response, replayed.entry());
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
        }
    }

    private static void created(ServerRequest request, ServerResponse response, LedgerEntry entry) {
        JsonResponses.send(request, response, Status.CREATED_201, JsonResponses.APPLICATION_JSON, TransactionResponse.from(entry));
    }
}
