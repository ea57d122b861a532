package io.lamina.server;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * An HTTP entrance on Lamina's public port besides the Lambda API: an HTTP API's routes, function
 * URLs, another service's control API. Each door claims its requests by host or path prefix; what no
 * door claims goes to the Lambda API.
 */
public interface FrontDoor {
    /** Whether this door serves the request (decided from the host and the raw path only). */
    boolean claims(ServerRequest req);

    /** Serves a claimed request completely, errors included, the way the AWS service it imitates would. */
    void serve(ServerRequest req, ServerResponse res);
}
