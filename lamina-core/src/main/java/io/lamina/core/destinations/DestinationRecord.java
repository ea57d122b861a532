package io.lamina.core.destinations;

import java.util.Optional;

/**
 * What AWS sends to an async invocation's destination: the {@code version}, {@code timestamp},
 * {@code requestContext}, {@code requestPayload}, {@code responseContext} and {@code responsePayload}
 * document.
 *
 * @param timestampEpochMs        when the outcome was decided
 * @param functionArn             the invoked function's qualified ARN ({@code ...:function:name:$LATEST})
 * @param approximateInvokeCount  attempts made
 * @param requestPayload          the event, as accepted (a JSON document)
 * @param response                empty when the function was never run to an answer (event age exceeded before any attempt)
 */
public record DestinationRecord(
        long timestampEpochMs,
        String requestId,
        String functionArn,
        Condition condition,
        int approximateInvokeCount,
        byte[] requestPayload,
        Optional<Response> response) {

    public enum Condition { Success, RetriesExhausted, EventAgeExceeded }

    /**
     * @param functionError  {@code Unhandled} when the function failed
     * @param payload        the function's result or error document
     */
    public record Response(int statusCode, String executedVersion, Optional<String> functionError, byte[] payload) {
    }

    /** Success and failure records go to different EventBridge detail types. */
    public boolean success() {
        return condition == Condition.Success;
    }
}
