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
    /** Top-ups: the payment service crediting USDC deposits. */
    public static final String SCOPE_DEPOSIT = "credits:deposit";

    public Caller {
        Objects.requireNonNull(userId, "userId");
        scopes = Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * This caller, when it holds {@code scope} or one of the {@code alternatives}.
     *
     * @throws ApiException 403 FORBIDDEN otherwise
     */
    public Caller requireScope(String scope, String... alternatives) {
        if (hasScope(scope)) {
            return this;
        }
        for (String alternative : alternatives) {
            if (hasScope(alternative)) {
                return this;
            }
        }
        StringBuilder needed = new StringBuilder(scope);
        for (String alternative : alternatives) {
            needed.append(" or ").append(alternative);
        }
        throw new ApiException(ErrorCode.FORBIDDEN, "This request needs the " + needed + " scope");
    }
}
