package credits.adapters.http;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.FieldError;
import io.helidon.common.uri.UriQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The contract rejects unknown query parameters rather than ignoring them, so typos surface as 400s. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** @throws ApiException 400 VALIDATION_ERROR naming every parameter not in {@code allowed} */
    static void allowOnly(UriQuery query, Set<String> allowed) {
        if (query.isEmpty()) {
            return;
        }
        List<FieldError> unknown = new ArrayList<>();
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                unknown.add(new FieldError(name, "unknown query parameter"));
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown);
        }
    }
}
