package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.FieldErrors;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.ListLots;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Optional;

/** The caller's own lots, in the order they will be used. Reading them opens no account: without one the page is empty. */
final class LotsHttpService implements HttpService {

    static final String LOTS_PATH = "/api/billing/credits/lots";

    private final ListLots listLots;
    private final Admission admission;
    private final LotCursors cursors;

    LotsHttpService(ListLots listLots, Admission admission, LotCursors cursors) {
        this.listLots = Objects.requireNonNull(listLots, "listLots");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(LOTS_PATH, this::listOwn)
                .head(LOTS_PATH, this::listOwn)
                .any(LOTS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD));
    }

    private void listOwn(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        FieldErrors errors = new FieldErrors();
        Optional<LotsQuery> query = LotsQuery.from(request.query(), Optional.of(caller.userId()), cursors, errors);
        errors.throwIfAny();
        send(request, response, query.orElseThrow(), listLots, cursors);
    }

    /** The page {@code query} asks for, each lot's status as of the read; shared with the admin read. */
    static void send(ServerRequest request, ServerResponse response, LotsQuery query, ListLots listLots, LotCursors cursors) {
        LotsResponse page = LotsResponse.from(listLots.list(query.owner(), query.query()), query.owner(), cursors);
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON, page);
    }
}
