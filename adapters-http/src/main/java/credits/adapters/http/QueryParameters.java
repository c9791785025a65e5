package credits.adapters.http;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.FieldErrors;
import io.helidon.common.uri.UriQuery;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The contract rejects unknown query parameters rather than ignoring them, so typos surface as 400s. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** @throws ApiException 400 VALIDATION_ERROR naming every parameter not in {@code allowed} */
    static void allowOnly(UriQuery query, Set<String> allowed) {
        FieldErrors errors = new FieldErrors();
        allowOnly(query, allowed, errors);
        errors.throwIfAny();
    }

    /** Records every parameter not in {@code allowed}. */
    static void allowOnly(UriQuery query, Set<String> allowed, FieldErrors errors) {
        if (query.isEmpty()) {
            return;
        }
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                errors.add(name, "unknown query parameter");
            }
        }
    }

    /** The parameter's one value; empty when absent, recorded as an error when given more than once. */
    static Optional<String> single(UriQuery query, String name, FieldErrors errors) {
        List<String> values = query.all(name, List::of);
        if (values.size() > 1) {
            errors.add(name, "must be given at most once");
            return Optional.empty();
        }
        return values.stream().findFirst();
    }
}
