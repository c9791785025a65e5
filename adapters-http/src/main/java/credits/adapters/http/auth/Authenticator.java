package credits.adapters.http.auth;

import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@link Caller} of a request from its headers. {@code Authorization} wins whenever present;
 * {@code X-User-Id} counts only when the deployment trusts the gateway in front of it, and is ignored
 * otherwise (it is then just a header any client can send).
 */
public final class Authenticator {

    static final HeaderName X_USER_ID = HeaderNames.create("X-User-Id");
    private static final String BEARER = "Bearer";

    private final JwtVerifier jwtVerifier;
    private final boolean trustUserHeader;

    public Authenticator(AuthSettings settings, Clock clock) {
        this.jwtVerifier = new JwtVerifier(settings, clock);
        this.trustUserHeader = settings.trustUserHeader();
    }

    /** @throws ApiException 401 with the contract's code when the request is not authenticated */
    public Caller authenticate(Headers headers) {
        List<String> authorization = headers.all(HeaderNames.AUTHORIZATION, List::of);
        if (!authorization.isEmpty()) {
            return jwtVerifier.verify(bearerToken(authorization));
        }
        if (trustUserHeader) {
            List<String> userIds = headers.all(X_USER_ID, List::of);
            if (!userIds.isEmpty()) {
                return trustedUser(userIds);
            }
        }
        throw new ApiException(ErrorCode.UNAUTHORIZED, "Authentication is required: send Authorization: Bearer <token>");
    }

    /** RFC 6750: {@code Bearer} (any case), one or more spaces, then a token without spaces. */
    private static String bearerToken(List<String> values) {
        if (values.size() != 1) {
            throw invalidHeader("Send exactly one Authorization header");
        }
        String value = values.getFirst();
        int space = value.indexOf(' ');
        if (space != BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw invalidHeader("The Authorization header must be \"Bearer <token>\"");
        }
        String token = value.substring(space + 1).strip();
        if (token.isEmpty() || containsWhitespace(token)) {
            throw invalidHeader("The Authorization header must be \"Bearer <token>\"");
        }
        return token;
    }

    // A loop rather than chars().anyMatch: this runs on every request, and the stream showed in the profile.
    private static boolean containsWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A gateway that sends a malformed or repeated {@code X-User-Id} is misconfigured or bypassed: that is
     * an authentication failure (401 INVALID_AUTH_HEADER), not a client validation error.
     */
    private static Caller trustedUser(List<String> values) {
        if (values.size() != 1) {
            throw invalidHeader("Send exactly one X-User-Id header");
        }
        try {
            // The gateway vouches for who the user is, not for any scope.
            return new Caller(UserId.of(values.getFirst()), Set.of());
        } catch (InvalidValueException e) {
            throw invalidHeader("X-User-Id is not a valid user id: " + e.getMessage());
        }
    }

    private static ApiException invalidHeader(String detail) {
        return new ApiException(ErrorCode.INVALID_AUTH_HEADER, detail);
    }
}
