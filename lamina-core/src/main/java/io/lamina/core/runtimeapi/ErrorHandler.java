package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.ServerRequest;
import io.lamina.core.http.RequestBodies;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.ExecutionEnvironment;

/** {@code POST /runtime/invocation/{id}/error}: the function failed; the body is its error document. */
final class ErrorHandler implements RuntimeApiRouter.Endpoint {
    static final long MAX_ERROR_BYTES = 1_048_576;

    @Override
    public void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception {
        byte[] body = ErrorDocuments.normalize(RequestBodies.read(req, MAX_ERROR_BYTES), req);
        env.fail(requestId, body);
        RuntimeApiServer.accepted(res);
    }
}
