package io.lamina.core.runtimeapi;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.ExecutionEnvironment;
import io.lamina.core.environment.Invocation;
import io.lamina.core.http.ResponseBodies;

/** {@code GET /runtime/invocation/next}: long-polls for the environment's next invocation. */
final class NextHandler implements RuntimeApiRouter.Endpoint {
    private static final HeaderName REQUEST_ID = HeaderNames.create("Lambda-Runtime-Aws-Request-Id");
    private static final HeaderName DEADLINE = HeaderNames.create("Lambda-Runtime-Deadline-Ms");
    private static final HeaderName FUNCTION_ARN = HeaderNames.create("Lambda-Runtime-Invoked-Function-Arn");
    private static final HeaderName TRACE_ID = HeaderNames.create("Lambda-Runtime-Trace-Id");
    private static final HeaderName CLIENT_CONTEXT = HeaderNames.create("Lambda-Runtime-Client-Context");
    private static final HeaderName COGNITO_IDENTITY = HeaderNames.create("Lambda-Runtime-Cognito-Identity");

    @Override
    public void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception {
        Invocation inv = env.next();
        res.header(REQUEST_ID, inv.requestId());
        res.header(DEADLINE, Long.toString(inv.deadlineEpochMs()));
        res.header(FUNCTION_ARN, inv.invokedFunctionArn());
        res.header(TRACE_ID, inv.traceId());
        inv.clientContext().ifPresent(c -> res.header(CLIENT_CONTEXT, c));
        inv.cognitoIdentity().ifPresent(c -> res.header(COGNITO_IDENTITY, c));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        ResponseBodies.send(res, inv.payload());
    }
}
