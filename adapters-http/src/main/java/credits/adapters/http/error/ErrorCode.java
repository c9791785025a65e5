package credits.adapters.http.error;

/**
 * The {@code code} member of a problem response, with the status it always travels with. This is the
 * contract's table (api.md, "Errors"): clients key on these names, so they never change once published.
 */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    IDEMPOTENCY_KEY_REQUIRED(400),
    UNAUTHORIZED(401),
    INVALID_AUTH_HEADER(401),
    INVALID_TOKEN(401),
    TOKEN_EXPIRED(401),
    INSUFFICIENT_BALANCE(402),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    IDEMPOTENCY_KEY_REUSED(409),
    REFUND_EXCEEDS_DEDUCTION(409),
    PAYMENT_ALREADY_CREDITED(409),
    BALANCE_LIMIT_EXCEEDED(409),
    HOLD_NOT_ACTIVE(409),
    CAPTURE_EXCEEDS_HOLD(409),
    HOLD_LIMIT_REACHED(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    TOO_MANY_REQUESTS(429),
    INTERNAL_SERVER_ERROR(500),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
