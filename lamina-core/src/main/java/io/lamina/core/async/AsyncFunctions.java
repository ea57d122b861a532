package io.lamina.core.async;

import io.lamina.core.function.EventInvokeConfig;

import java.util.Optional;

/**
 * What the async queue needs from the rest of Lamina: one attempt through the Invoker, and the
 * function's async settings read fresh at each attempt (so that changes apply to queued events).
 */
public interface AsyncFunctions {

    /**
     * Runs one attempt. Throws {@link io.lamina.core.errors.LambdaException}: TooManyRequestsException when
     * throttled, ResourceNotFoundException when the function or qualifier is gone, others for system errors.
     */
    Attempt invoke(Invocation invocation);

    /** The qualifier's config, or the defaults. {@code qualifier} is {@code $LATEST}, a version or an alias. */
    EventInvokeConfig eventInvokeConfig(String functionName, String qualifier);

    /** The legacy {@code DeadLetterConfig.TargetArn} of the version the qualifier names now. */
    Optional<String> deadLetterTarget(String functionName, String qualifier);

    Optional<Integer> reservedConcurrency(String functionName);

    /** The qualified ARN destination records name ({@code ...:function:name:$LATEST} when unqualified). */
    String functionArn(String functionName, String qualifier);

    /** One attempt to run. */
    record Invocation(String requestId, String functionName, Optional<String> qualifier, byte[] payload,
                      Optional<String> clientContext, Optional<String> traceId) {
    }

    /**
     * What the function answered.
     *
     * @param functionError {@code Unhandled} when the function (or its runtime, or a timeout) failed
     */
    record Attempt(Optional<String> functionError, byte[] payload, String executedVersion) {
        public boolean succeeded() {
            return functionError.isEmpty();
        }
    }
}
