package credits.adapters.http.auth;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.domain.UserId;

import java.util.Objects;
import java.util.Set;

/** Who is calling, as proven by their credentials: the user and the scopes their token grants. */
public record Caller(UserId userId, Set<String> scopes) {

    /** Grants, refunds, reading any user. */
    public static final String SCOPE_ADMIN = "credits:admin";
    /** Deductions and holds on behalf of users. */
    public static final String SCOPE_METER = "credits:meter";

    public Caller {
        Objects.requireNonNull(userId, "userId");
        scopes = Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * This caller, when it holds {@code scope}.
     *
     * @throws ApiException 403 FORBIDDEN otherwise
     */
    public Caller requireScope(String scope) {
        if (!hasScope(scope)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This request needs the " + scope + " scope");
        }
        return this;
    }
}
