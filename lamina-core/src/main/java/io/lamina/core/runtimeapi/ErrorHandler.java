package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /runtime/invocation/{id}/error}: the function failed; the body is its error document. */
final class ErrorHandler implements Handler {
    static final long MAX_ERROR_BYTES = 1_048_576;
    private final RuntimeApiServer.EnvironmentLookup environments;

    ErrorHandler(RuntimeApiServer.EnvironmentLookup environments) {
        this.environments = environments;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        var env = environments.of(req);
        byte[] body = ErrorDocuments.normalize(RuntimeApiServer.readBody(req, MAX_ERROR_BYTES), req);
        env.fail(req.path().pathParameters().get("requestId"), body);
        RuntimeApiServer.accepted(res);
    }
}
