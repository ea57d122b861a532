package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.ServerRequest;
import io.lamina.core.http.RequestBodies;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.ExecutionEnvironment;

/** {@code POST /runtime/init/error}: the runtime could not initialise; the first invocation reports it. */
final class InitErrorHandler implements RuntimeApiRouter.Endpoint {
    @Override
    public void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception {
        byte[] body = ErrorDocuments.normalize(RequestBodies.read(req, ErrorHandler.MAX_ERROR_BYTES), req);
        env.initError(body);
        RuntimeApiServer.accepted(res);
    }
}
