package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.ServerRequest;
import io.lamina.core.http.RequestBodies;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.EnvironmentManager;
import io.lamina.core.environment.ExecutionEnvironment;

/** {@code POST /runtime/invocation/{id}/response}: the function's result. */
final class ResponseHandler implements RuntimeApiRouter.Endpoint {
    private final StreamingResponseHandler streaming;

    ResponseHandler(TrailerCapture trailerCapture) {
        this.streaming = new StreamingResponseHandler(trailerCapture);
    }

    @Override
    public void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception {
        if (StreamingResponseHandler.isStreaming(req)) {
            streaming.handle(env, requestId, req, res);
            return;
        }
        byte[] body = RequestBodies.read(req, EnvironmentManager.MAX_RESPONSE_BYTES);
        env.respond(requestId, body);
        RuntimeApiServer.accepted(res);
    }
}
