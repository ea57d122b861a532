package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.EnvironmentManager;

/** {@code POST /runtime/invocation/{id}/response}: the function's result. */
final class ResponseHandler implements Handler {
    private final RuntimeApiServer.EnvironmentLookup environments;

    ResponseHandler(RuntimeApiServer.EnvironmentLookup environments) {
        this.environments = environments;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        var env = environments.of(req);
        byte[] body = RuntimeApiServer.readBody(req, EnvironmentManager.MAX_RESPONSE_BYTES);
        env.respond(req.path().pathParameters().get("requestId"), body);
        RuntimeApiServer.accepted(res);
    }
}
