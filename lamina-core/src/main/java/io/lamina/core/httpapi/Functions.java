package io.lamina.core.httpapi;

import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.permissions.Decision;

/** What the gateway needs of Lamina's functions: invoke, ask the resource policy, know the timeout. */
interface Functions {
    /** A synchronous invocation of {@code functionArn} (maybe qualified). */
    InvokeResult invoke(String functionArn, byte[] payload, String traceId);

    /** May {@code apigateway.amazonaws.com} invoke {@code functionArn} for {@code sourceArn}? */
    Decision permits(String functionArn, String sourceArn);

    /** The function's own timeout, in milliseconds. */
    long timeoutMillis(String functionArn);
}
