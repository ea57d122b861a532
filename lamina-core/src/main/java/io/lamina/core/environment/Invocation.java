package io.lamina.core.environment;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One invocation handed to an execution environment. The runtime receives it through
 * {@code /next}; its {@code /response} or {@code /error} (or the platform) completes {@link #outcome()}.
 *
 * @param deadlineOffsetMs the function timeout: the deadline is set when the runtime picks it up
 */
public final class Invocation {
    private final String requestId;
    private final byte[] payload;
    private final String invokedFunctionArn;
    private final Optional<String> clientContext;
    private final Optional<String> cognitoIdentity;
    private final String traceId;
    private final long deadlineOffsetMs;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final CompletableFuture<Long> pickedUpAtNanos = new CompletableFuture<>();
    private final Optional<ResponseStream> responseStream;
    private final java.util.concurrent.atomic.AtomicBoolean streaming = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long deadlineEpochMs;

    public Invocation(String requestId, byte[] payload, String invokedFunctionArn, Optional<String> clientContext,
                      Optional<String> cognitoIdentity, String traceId, long deadlineOffsetMs) {
        this(requestId, payload, invokedFunctionArn, clientContext, cognitoIdentity, traceId, deadlineOffsetMs,
                Optional.empty());
    }

    /** @param responseStream where a streamed response goes as it arrives; empty: the caller wants it buffered */
    public Invocation(String requestId, byte[] payload, String invokedFunctionArn, Optional<String> clientContext,
                      Optional<String> cognitoIdentity, String traceId, long deadlineOffsetMs,
                      Optional<ResponseStream> responseStream) {
        this.responseStream = responseStream;
        this.requestId = requestId;
        this.payload = payload;
        this.invokedFunctionArn = invokedFunctionArn;
        this.clientContext = clientContext;
        this.cognitoIdentity = cognitoIdentity;
        this.traceId = traceId;
        this.deadlineOffsetMs = deadlineOffsetMs;
    }

    public String requestId() { return requestId; }
    public byte[] payload() { return payload; }
    public String invokedFunctionArn() { return invokedFunctionArn; }
    public Optional<String> clientContext() { return clientContext; }
    public Optional<String> cognitoIdentity() { return cognitoIdentity; }
    public String traceId() { return traceId; }
    public long deadlineEpochMs() { return deadlineEpochMs; }
    public CompletableFuture<Outcome> outcome() { return outcome; }
    public Optional<ResponseStream> responseStream() { return responseStream; }
    CompletableFuture<Long> pickedUp() { return pickedUpAtNanos; }

    /** Marks the start of the runtime's streamed response; false if one has started already. */
    boolean startStreaming() { return streaming.compareAndSet(false, true); }

    void markPickedUp(long nowEpochMs, long nowNanos) {
        deadlineEpochMs = nowEpochMs + deadlineOffsetMs;
        pickedUpAtNanos.complete(nowNanos);
    }
}
