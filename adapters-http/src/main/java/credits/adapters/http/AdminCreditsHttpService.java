package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldErrors;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.FindCredit;
import credits.application.port.in.ListHolds;
import credits.application.port.in.ListLots;
import credits.application.port.in.ListTransactions;
import credits.domain.Balance;
import credits.domain.UserId;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Admins read any user's account, ledger, lots and holds. Reading never opens an account: a user without one is a 404.
 *
 * <p>{@code {user_id}} is one path segment, so {@code /api/admin/billing/credits/grant} and {@code …/refunds}
 * could also be read as user ids. The action routes are registered before these (see {@link CreditsApi}) and
 * answer every method, so {@code GET …/grant} is {@code 405 Allow: POST}, never a read of a user named "grant".
 * Those two user ids' accounts are reachable only through their history, lots and holds ({@code …/grant/transactions}).
 */
final class AdminCreditsHttpService implements HttpService {

    static final String USER_ID = "user_id";
    private static final String PREFIX = "/api/admin/billing/credits/";
    static final String ACCOUNT_PATH = PREFIX + "{" + USER_ID + "}";
    static final String HISTORY_PATH = ACCOUNT_PATH + "/transactions";
    static final String LOTS_PATH = ACCOUNT_PATH + "/lots";
    static final String HOLDS_PATH = ACCOUNT_PATH + "/holds";

    private final FindCredit findCredit;
    private final ListTransactions listTransactions;
    private final ListLots listLots;
    private final ListHolds listHolds;
    private final Admission admission;
    private final HistoryCursors cursors;
    private final LotCursors lotCursors;
    private final HistoryCursors holdCursors;

    AdminCreditsHttpService(UseCases useCases, Admission admission, HistoryCursors cursors, LotCursors lotCursors,
                            HistoryCursors holdCursors) {
        this.findCredit = Objects.requireNonNull(useCases.findCredit(), "findCredit");
        this.listTransactions = Objects.requireNonNull(useCases.listTransactions(), "listTransactions");
        this.listLots = Objects.requireNonNull(useCases.listLots(), "listLots");
        this.listHolds = Objects.requireNonNull(useCases.listHolds(), "listHolds");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.lotCursors = Objects.requireNonNull(lotCursors, "lotCursors");
        this.holdCursors = Objects.requireNonNull(holdCursors, "holdCursors");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(ACCOUNT_PATH, this::getAccount)
                .head(ACCOUNT_PATH, this::getAccount)
                .any(ACCOUNT_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD))
                .get(HISTORY_PATH, this::listHistory)
                .head(HISTORY_PATH, this::listHistory)
                .any(HISTORY_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD))
                .get(LOTS_PATH, this::listLots)
                .head(LOTS_PATH, this::listLots)
                .any(LOTS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD))
                .get(HOLDS_PATH, this::listHolds)
                .head(HOLDS_PATH, this::listHolds)
                .any(HOLDS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD));
    }

    private void getAccount(ServerRequest request, ServerResponse response) {
        admission.service(request, Caller.SCOPE_ADMIN);
        FieldErrors errors = new FieldErrors();
        Optional<UserId> userId = pathUserId(request, errors);
        QueryParameters.allowOnly(request.query(), Set.of(), errors);
        errors.throwIfAny();
        Balance balance = existing(userId.orElseThrow());
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, CreditResponse.from(balance));
    }

    private void listHistory(ServerRequest request, ServerResponse response) {
        TransactionsQuery query = existingUsersQuery(request,
                (userId, errors) -> TransactionsQuery.from(request.query(), userId, cursors, errors));
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON,
                TransactionsResponse.from(listTransactions.list(query.toUseCase()), query.owner(), cursors));
    }

    private void listLots(ServerRequest request, ServerResponse response) {
        LotsQuery query = existingUsersQuery(request, (userId, errors) -> LotsQuery.from(request.query(), userId, lotCursors, errors));
        LotsHttpService.send(request, response, query, listLots, lotCursors);
    }

    private void listHolds(ServerRequest request, ServerResponse response) {
        HoldsQuery query = existingUsersQuery(request, (userId, errors) -> HoldsQuery.from(request.query(), userId, holdCursors, errors));
        HoldsHttpService.send(request, response, query, listHolds, holdCursors);
    }

    /**
     * The admitted admin's query on the path's user: 400 naming every bad parameter (the path's user id
     * included), then 404 when that user has no account, as for the account read, rather than an empty page.
     */
    private <Q> Q existingUsersQuery(ServerRequest request, BiFunction<Optional<UserId>, FieldErrors, Optional<Q>> parse) {
        admission.service(request, Caller.SCOPE_ADMIN);
        FieldErrors errors = new FieldErrors();
        Optional<UserId> userId = pathUserId(request, errors);
        Optional<Q> query = parse.apply(userId, errors);
        errors.throwIfAny();
        existing(userId.orElseThrow());
        return query.orElseThrow();
    }

    /** The path's {@code {user_id}}, decoded strictly; a bad one is recorded. Shared with the admin's alerts route. */
    static Optional<UserId> pathUserId(ServerRequest request, FieldErrors errors) {
        return errors.check(USER_ID, () -> UserId.of(PathSegments.decode(rawUserId(request))));
    }

    /** The segment as sent: the id is decoded strictly here, not by Helidon's lenient decoding. */
    private static String rawUserId(ServerRequest request) {
        String raw = request.path().rawPath();
        if (!raw.startsWith(PREFIX)) {
            // Not expected (the route matched this prefix); Helidon's decoded value is the next best thing.
            return request.path().pathParameters().get(USER_ID);
        }
        int end = raw.indexOf('/', PREFIX.length());
        return raw.substring(PREFIX.length(), end < 0 ? raw.length() : end);
    }

    private Balance existing(UserId userId) {
        return findCredit.find(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "This user has no credits account"));
    }
}
