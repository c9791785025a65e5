package credits.adapters.http.error;

import credits.adapters.http.json.JsonResponses;
import credits.adapters.http.request.RequestId;
import credits.domain.InvalidValueException;
import credits.domain.StorageUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The one place errors become responses: every throwable that reaches Helidon's error handling (from a
 * handler, from a filter, or Helidon's own "no route" 404) leaves as {@code application/problem+json}
 * with the request id. Unexpected throwables are logged here and answered with a generic 500 whose body
 * says nothing about the cause; storage outages are a 503 with {@code Retry-After}, just as quiet.
 */
public final class ProblemErrorHandler implements ErrorHandler<Throwable> {

    private static final System.Logger LOGGER = System.getLogger(ProblemErrorHandler.class.getName());
    /** Retry soon: a stuck or restarting database answers again within seconds, and then so do we. */
    private static final String STORAGE_RETRY_AFTER_SECONDS = "1";
    private static final ApiException STORAGE_UNAVAILABLE = new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
            "The service is temporarily unavailable; retry shortly (money moves with the same Idempotency-Key)")
            .withHeader(HeaderNames.RETRY_AFTER_NAME, STORAGE_RETRY_AFTER_SECONDS);
    private static final String WWW_AUTHENTICATE_NO_CREDENTIALS = "Bearer";
    private static final String WWW_AUTHENTICATE_BAD_REQUEST = "Bearer error=\"invalid_request\"";
    private static final String WWW_AUTHENTICATE_BAD_TOKEN = "Bearer error=\"invalid_token\"";

    @Override
    public void handle(ServerRequest request, ServerResponse response, Throwable error) {
        RequestId requestId = RequestId.of(request);
        // The filter set this already; set it again for errors raised before or outside it.
        response.header(RequestId.HEADER, requestId.value());
        // Not an error: Helidon's static content answers a conditional GET it can serve from the
        // client's copy by throwing 304 (the console's files). Its validators are on the response already.
        if (error instanceof HttpException http && http.status().family() == Status.Family.REDIRECTION) {
            response.status(http.status()).send();
            return;
        }
        ApiException problem = toApiException(request, requestId, error);
        problem.headers().forEach(response::header);
        if (problem.status() == 401 && !problem.headers().containsKey(HeaderNames.WWW_AUTHENTICATE_NAME)) {
            response.header(HeaderNames.WWW_AUTHENTICATE, wwwAuthenticate(problem.code()));
        }
        JsonResponses.send(request, response, Status.create(problem.status()), JsonResponses.APPLICATION_PROBLEM_JSON,
                body(problem, requestId));
    }

    private static ApiException toApiException(ServerRequest request, RequestId requestId, Throwable error) {
        return switch (error) {
            case ApiException api -> api;
            // Domain messages are written for API clients (see InvalidValueException).
            case InvalidValueException invalid -> new ApiException(ErrorCode.VALIDATION_ERROR, invalid.getMessage());
            case StorageUnavailableException unavailable -> {
                logUnavailable(request, requestId, unavailable);
                yield STORAGE_UNAVAILABLE;
            }
            case HttpException http when http.status().code() < 500 -> forHelidonStatus(http.status().code());
            default -> {
                logUnexpected(request, requestId, error);
                yield new ApiException(ErrorCode.INTERNAL_SERVER_ERROR,
                        "An unexpected error occurred; quote request id " + requestId.value() + " when reporting it");
            }
        };
    }

    /**
     * Helidon's own refusals (no route, undecodable URI or query, oversized entity, …) in the contract's
     * codes; their messages are Helidon's, not ours, so they are not shown.
     */
    static ApiException forHelidonStatus(int status) {
        return switch (status) {
            case 403 -> new ApiException(ErrorCode.FORBIDDEN, "This request is not allowed");
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "No resource at this path");
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "This method is not allowed on this path");
            case 413 -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
            case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type");
            default -> status < 500
                    ? ApiException.validation(List.of(new FieldError("request", "malformed request")))
                    : new ApiException(ErrorCode.INTERNAL_SERVER_ERROR, "An unexpected error occurred");
        };
    }

    /** The RFC 9457 body for {@code problem}. */
    static ProblemDetails body(ApiException problem, RequestId requestId) {
        Status status = Status.create(problem.status());
        return new ProblemDetails(ProblemDetails.ABOUT_BLANK, status.reasonPhrase(), status.code(),
                problem.detail(), problem.code().name(), requestId.value(), problem.fieldErrors());
    }

    /**
     * An outage, not a bug: one WARNING line per request, no stack trace (there would be one per request
     * while the database is down). The message is the adapter's, written for logs, never for clients.
     */
    private static void logUnavailable(ServerRequest request, RequestId requestId, StorageUnavailableException error) {
        Throwable cause = error.getCause();
        log(requestId, System.Logger.Level.WARNING, "Storage unavailable on " + where(request, requestId) + ": "
                + error.getMessage() + (cause == null ? "" : " (" + cause.getClass().getName() + ")"), null);
    }

    private static void logUnexpected(ServerRequest request, RequestId requestId, Throwable error) {
        log(requestId, System.Logger.Level.ERROR, "Unexpected error on " + where(request, requestId), error);
    }

    /**
     * Raw path only: still percent-encoded (no line breaks to forge log lines), and no query string,
     * which is client data that must not reach the logs.
     */
    private static String where(ServerRequest request, RequestId requestId) {
        return request.prologue().method().text() + " " + request.prologue().uriPath().rawPath()
                + " [request_id=" + requestId.value() + "]";
    }

    private static void log(RequestId requestId, System.Logger.Level level, String message, Throwable error) {
        if (!LOGGER.isLoggable(level)) {
            return;
        }
        // An error raised by a filter after ours has unwound is handled outside the MDC scope: restore it for this line.
        boolean setHere = HelidonMdc.get(RequestId.MDC_KEY).isEmpty();
        if (setHere) {
            HelidonMdc.set(RequestId.MDC_KEY, requestId.value());
        }
        try {
            LOGGER.log(level, message, error);
        } finally {
            if (setHere) {
                HelidonMdc.remove(RequestId.MDC_KEY);
            }
        }
    }

    private static String wwwAuthenticate(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> WWW_AUTHENTICATE_NO_CREDENTIALS;
            case INVALID_AUTH_HEADER -> WWW_AUTHENTICATE_BAD_REQUEST;
            default -> WWW_AUTHENTICATE_BAD_TOKEN;
        };
    }
}
