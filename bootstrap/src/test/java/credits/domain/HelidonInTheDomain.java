package credits.domain;

import io.helidon.webserver.http.ServerRequest;

/**
 * A deliberate violation, compiled only with the tests: what a Helidon import moved into the domain
 * looks like, so the architecture test can show its rules catch it.
 */
public final class HelidonInTheDomain {

    public String path(ServerRequest request) {
        return request.path().path();
    }
}
