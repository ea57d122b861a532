package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.Invocation;

/** {@code GET /runtime/invocation/next}: long-polls for the environment's next invocation. */
final class NextHandler implements Handler {
    private final RuntimeApiServer.EnvironmentLookup environments;

    NextHandler(RuntimeApiServer.EnvironmentLookup environments) {
        this.environments = environments;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        Invocation inv = environments.of(req).next();
        res.header("Lambda-Runtime-Aws-Request-Id", inv.requestId());
        res.header("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineEpochMs()));
        res.header("Lambda-Runtime-Invoked-Function-Arn", inv.invokedFunctionArn());
        res.header("Lambda-Runtime-Trace-Id", inv.traceId());
        inv.clientContext().ifPresent(c -> res.header("Lambda-Runtime-Client-Context", c));
        inv.cognitoIdentity().ifPresent(c -> res.header("Lambda-Runtime-Cognito-Identity", c));
        res.header("Content-Type", "application/json");
        res.send(inv.payload());
    }
}
