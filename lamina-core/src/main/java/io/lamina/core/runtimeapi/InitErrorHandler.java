package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /runtime/init/error}: the runtime could not initialise; the first invocation reports it. */
final class InitErrorHandler implements Handler {
    private final RuntimeApiServer.EnvironmentLookup environments;

    InitErrorHandler(RuntimeApiServer.EnvironmentLookup environments) {
        this.environments = environments;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        var env = environments.of(req);
        byte[] body = ErrorDocuments.normalize(RuntimeApiServer.readBody(req, ErrorHandler.MAX_ERROR_BYTES), req);
        env.initError(body);
        RuntimeApiServer.accepted(res);
    }
}
