package io.lamina.core.destinations;

import java.util.Optional;

/**
 * What AWS sends to an async invocation's destination: the {@code version}, {@code timestamp},
 * {@code requestContext}, {@code requestPayload}, {@code responseContext} and {@code responsePayload}
 * document ({@link #toJson()}).
 *
 * @param timestampEpochMs        when the outcome was decided
 * @param functionArn             the invoked function's qualified ARN ({@code ...:function:name:$LATEST})
 * @param approximateInvokeCount  attempts made (0 when the function was never run)
 * @param requestPayload          the event, as accepted (a JSON document)
 * @param response                empty when the function was never run to an answer (event age exceeded
 *                                before any attempt, reserved concurrency zero): AWS then leaves
 *                                {@code responseContext} and {@code responsePayload} out of the record
 */
public record DestinationRecord(
        long timestampEpochMs,
        String requestId,
        String functionArn,
        Condition condition,
        int approximateInvokeCount,
        byte[] requestPayload,
        Optional<Response> response) {

    /**
     * The {@code requestContext.condition} values. {@code ZeroReservedConcurrency} is what AWS sends
     * when an event is discarded because the function's reserved concurrency is 0.
     */
    public enum Condition { Success, RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency }

    /**
     * @param statusCode     200 for a function that ran (function errors included)
     * @param functionError  {@code Unhandled} or {@code Handled} when the function failed
     * @param payload        the function's result or error document
     */
    public record Response(int statusCode, String executedVersion, Optional<String> functionError, byte[] payload) {
    }

    /** Success and failure records go to different EventBridge detail types. */
    public boolean success() {
        return condition == Condition.Success;
    }

    /** The record as AWS writes it: compact JSON, fields in AWS's order, payloads embedded as JSON. */
    public String toJson() {
        return InvocationRecordJson.write(this);
    }
}
