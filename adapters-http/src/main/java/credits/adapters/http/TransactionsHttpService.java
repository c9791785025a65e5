package credits.adapters.http;

import credits.adapters.http.auth.Caller;
import credits.adapters.http.error.FieldErrors;
import credits.adapters.http.error.MethodNotAllowed;
import credits.adapters.http.json.JsonResponses;
import credits.application.port.in.ListTransactions;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Objects;
import java.util.Optional;

/** The caller's own ledger, newest first. Reading it opens no account: without one the page is empty. */
final class TransactionsHttpService implements HttpService {

    static final String TRANSACTIONS_PATH = "/api/billing/credits/transactions";

    private final ListTransactions listTransactions;
    private final Admission admission;
    private final HistoryCursors cursors;

    TransactionsHttpService(ListTransactions listTransactions, Admission admission, HistoryCursors cursors) {
        this.listTransactions = Objects.requireNonNull(listTransactions, "listTransactions");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(TRANSACTIONS_PATH, this::listOwn)
                .head(TRANSACTIONS_PATH, this::listOwn)
                .any(TRANSACTIONS_PATH, MethodNotAllowed.allowing(Method.GET, Method.HEAD));
    }

    private void listOwn(ServerRequest request, ServerResponse response) {
        Caller caller = admission.user(request);
        FieldErrors errors = new FieldErrors();
        Optional<TransactionsQuery> query = TransactionsQuery.from(request.query(), Optional.of(caller.userId()), cursors, errors);
        errors.throwIfAny();
        JsonResponses.send(request, response, Status.OK_200, JsonResponses.APPLICATION_JSON,
                TransactionsResponse.from(listTransactions.list(query.orElseThrow().toUseCase()), caller.userId(), cursors));
    }
}
