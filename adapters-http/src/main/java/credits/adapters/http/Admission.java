package credits.adapters.http;

import credits.adapters.http.auth.Authenticator;
import credits.adapters.http.auth.Caller;
import credits.adapters.http.limit.RateLimiter;
import io.helidon.webserver.http.ServerRequest;

import java.util.Arrays;
import java.util.Objects;

/**
 * The first step of every API handler, in the contract's order: authenticate (401), spend a token from
 * the caller's bucket (429), then check the scope (403) where the route needs one. Nothing has read the
 * body yet, so a refused request costs no parsing and touches no use case.
 *
 * <p>The caller is also put in the request context, for the access log's {@code user_id}.
 */
final class Admission {

    private final Authenticator authenticator;
    private final RateLimiter userLimiter;
    private final RateLimiter serviceLimiter;

    Admission(Authenticator authenticator, RateLimiter userLimiter, RateLimiter serviceLimiter) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.userLimiter = Objects.requireNonNull(userLimiter, "userLimiter");
        this.serviceLimiter = Objects.requireNonNull(serviceLimiter, "serviceLimiter");
    }

    /** A user route (own balance, own history): any authenticated caller, on the user bucket. */
    Caller user(ServerRequest request) {
        return admit(request, userLimiter);
    }

    /** A metering, deposit or admin route: the service bucket, and {@code scope} (or one of the {@code alternatives}) required. */
    Caller service(ServerRequest request, String scope, String... alternatives) {
        return admit(request, serviceLimiter).requireScope(scope, alternatives);
    }

    /**
     * A read open to any authenticated caller that services also make (one hold): the service bucket for a caller
     * with {@code scope} or one of the {@code alternatives}, the user bucket for anyone else. What the caller may
     * then see is the route's to decide.
     */
    Caller userOrService(ServerRequest request, String scope, String... alternatives) {
        Caller caller = authenticate(request);
        boolean service = caller.hasScope(scope) || Arrays.stream(alternatives).anyMatch(caller::hasScope);
        (service ? serviceLimiter : userLimiter).acquire(caller.userId());
        return caller;
    }

    private Caller admit(ServerRequest request, RateLimiter limiter) {
        Caller caller = authenticate(request);
        limiter.acquire(caller.userId());
        return caller;
    }

    private Caller authenticate(ServerRequest request) {
        Caller caller = authenticator.authenticate(request.headers());
        request.context().register(caller);
        return caller;
    }
}
