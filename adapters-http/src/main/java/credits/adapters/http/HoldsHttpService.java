package credits.adapters.http;

import credits.adapters.http.MoveOutcomeResponses.Answer;
import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldErrors;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.BodyFields;
import credits.adapters.http.json.JsonResponses;
import credits.adapters.http.observe.LedgerMetrics;
import credits.application.port.in.CaptureHold;
import credits.application.port.in.FindHold;
import credits.application.port.in.ListHolds;
import credits.application.port.in.PlaceHold;
import credits.application.port.in.ReleaseHold;
import credits.domain.EntryId;
import credits.domain.Hold;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Two-phase charging for the metering gateway: reserve (a hold), then capture what the call really cost or release
 * it; and the reads of holds. The moves are idempotent POSTs ({@link IdempotentPost}) answered by
 * {@link MoveOutcomeResponses}, so a replay is the first answer again: a hold's creation shows the hold as it was
 * placed, a release the released hold, a capture its deduction.
 *
 * <p>A hold id is opaque: one that cannot be ours, of any shape, is unknown without asking the database, and every
 * unknown hold, or one the caller may not see, is the same 404.
 */
final class HoldsHttpService implements HttpService {

    static final String HOLD_ID = "hold_id";
    static final String HOLDS_PATH = "/api/billing/credits/holds";
    static final String HOLD_PATH = HOLDS_PATH + "/{" + HOLD_ID + "}";
    static final String CAPTURE_PATH = HOLD_PATH + "/capture";
    static final String RELEASE_PATH = HOLD_PATH + "/release";

    private final PlaceHold placeHold;
    private final CaptureHold captureHold;
    private final ReleaseHold releaseHold;
    private final FindHold findHold;
    private final ListHolds listHolds;
    private final Admission admission;
    private final HistoryCursors cursors;
    private final MoveOutcomeResponses holds;
    private final MoveOutcomeResponses captures;
    private final MoveOutcomeResponses releases;
    private final Answer placed;
    private final Answer released;

    HoldsHttpService(UseCases useCases, Admission admission, LedgerMetrics ledgerMetrics, HistoryCursors cursors) {
        this.placeHold = Objects.requireNonNull(useCases.placeHold(), "placeHold");
        this.captureHold = Objects.requireNonNull(useCases.captureHold(), "captureHold");
        this.releaseHold = Objects.requireNonNull(useCases.releaseHold(), "releaseHold");
        this.findHold = Objects.requireNonNull(useCases.findHold(), "findHold");
        this.listHolds = Objects.requireNonNull(useCases.listHolds(), "listHolds");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.holds = new MoveOutcomeResponses(Operation.HOLD, ledgerMetrics);
        this.captures = new MoveOutcomeResponses(Operation.CAPTURE, ledgerMetrics);
        this.releases = new MoveOutcomeResponses(Operation.RELEASE, ledgerMetrics);
        // Read back through the hold its entry names: the entry alone does not carry the hold's expiry.
        this.placed = new Answer(Status.CREATED_201, holdOf(Hold::asPlaced));
        this.released = new Answer(Status.OK_200, holdOf(Function.identity()));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(HOLDS_PATH, this::place)
                .get(HOLDS_PATH, this::listOwn)
                .head(HOLDS_PATH, this::listOwn)
                .any(HOLDS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD, Method.POST))
                .get(HOLD_PATH, this::getHold)
                .head(HOLD_PATH, this::getHold)
                .any(HOLD_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD))
                .post(CAPTURE_PATH, this::capture)
                .any(CAPTURE_PATH, MethodNotAllowed.allowing(Method.POST))
                .post(RELEASE_PATH, this::release)
                .any(RELEASE_PATH, MethodNotAllowed.allowing(Method.POST));
    }

    private void place(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_METER);
        PlaceHoldRequest body = PlaceHoldRequest.from(post.body());
        holds.send(request, response, placeHold.place(body.command(post.caller().userId(), post.key())), placed);
    }

    private void capture(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.accept(request, admission, Caller.SCOPE_METER);
        CaptureRequest body = CaptureRequest.from(post.body());
        MoveOutcome outcome = holdId(request)
                .map(holdId -> captureHold.capture(body.command(post.caller().userId(), post.key(), holdId)))
                .orElseGet(MoveOutcome.HoldNotFound::new);
        captures.send(request, response, outcome);
    }

    private void release(ServerRequest request, ServerResponse response) {
        IdempotentPost post = IdempotentPost.acceptOptionalBody(request, admission, Caller.SCOPE_METER);
        // Nothing to say about a release: the only body is {}, and no body means the same.
        BodyFields.of(post.body(), Set.of()).throwIfInvalid();
        MoveOutcome outcome = holdId(request)
                .map(holdId -> releaseHold.release(new ReleaseHold.Command(post.caller().userId(), post.key(), holdId)))
                .orElseGet(MoveOutcome.HoldNotFound::new);
        releases.send(request, response, outcome, released);
    }

    /** One hold: for the gateway and admins any hold, for anyone else only their own (another's is unknown to them). */
    private void getHold(ServerRequest request, ServerResponse response) {
        Caller caller = admission.userOrService(request, Caller.SCOPE_METER, Caller.SCOPE_ADMIN);
        QueryParameters.allowOnly(request.query(), Set.of());
        boolean seesAll = caller.hasScope(Caller.SCOPE_METER) || caller.hasScope(Caller.SCOPE_ADMIN);
        Hold hold = holdId(request).flatMap(findHold::find)
                .filter(found -> seesAll || found.userId().equals(caller.userId()))
                .orElseThrow(HoldsHttpService::notFound);
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, HoldResponse.from(hold));
    }

    private void listOwn(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        FieldErrors errors = new FieldErrors();
        Optional<HoldsQuery> query = HoldsQuery.from(request.query(), Optional.of(caller.userId()), cursors, errors);
        errors.throwIfAny();
        send(request, response, query.orElseThrow(), listHolds, cursors);
    }

    /** The page {@code query} asks for, each hold as the read shows it; shared with the admin read. */
    static void send(ServerRequest request, ServerResponse response, HoldsQuery query, ListHolds listHolds, HistoryCursors cursors) {
        HoldsResponse page = HoldsResponse.from(listHolds.list(query.query()), query.owner(), cursors);
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, page);
    }

    /** The path's hold id, when it can be one of ours; Helidon has already decoded the segment. */
    private static Optional<EntryId> holdId(ServerRequest request) {
        return EntryId.find(request.path().pathParameters().get(HOLD_ID));
    }

    private Function<LedgerEntry, Object> holdOf(Function<Hold, Hold> shown) {
        return entry -> {
            EntryId holdId = entry.holdId().orElseThrow(() -> new IllegalStateException("a hold's entry names its hold"));
            Hold hold = findHold.find(holdId).orElseThrow(() -> new IllegalStateException("a hold with an entry exists"));
            return HoldResponse.from(shown.apply(hold));
        };
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "No hold has this id");
    }
}
