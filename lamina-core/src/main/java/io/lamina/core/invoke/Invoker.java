package io.lamina.core.invoke;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.lamina.core.async.AsyncFunctions;
import io.lamina.core.async.AsyncQueue;
import io.lamina.core.concurrency.ConcurrencyLimiter;
import io.lamina.core.environment.EnvironmentManager;
import io.lamina.core.environment.ExecutionEnvironment;
import io.lamina.core.environment.Invocation;
import io.lamina.core.environment.Outcome;
import io.lamina.core.environment.PlatformErrorType;
import io.lamina.core.environment.ResponseStream;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.function.FunctionState;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.function.Target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one path every invocation takes: resolve the target, take a concurrency slot, take an
 * execution environment, run, write the log lines, answer. Sync callers, the async queue, the
 * gateway and the pollers all call {@link #invoke}.
 */
public final class Invoker {
    /** AWS's synchronous request limit. */
    public static final int MAX_SYNC_PAYLOAD = 6_291_456;
    /** AWS's asynchronous request limit (1 MB since October 2025). */
    public static final int MAX_ASYNC_PAYLOAD = 1_048_576;
    private static final int TAIL_BYTES = 4096;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] EMPTY_EVENT = "{}".getBytes(StandardCharsets.UTF_8);

    private final FunctionRegistry registry;
    private final ConcurrencyLimiter limiter;
    private final EnvironmentManager environments;
    private final Clock clock;
    private final Supplier<AsyncQueue> asyncQueue;

    /** @param asyncQueue where Event invocations go (built after the Invoker, which it calls back) */
    public Invoker(FunctionRegistry registry, ConcurrencyLimiter limiter, EnvironmentManager environments, Clock clock,
                   Supplier<AsyncQueue> asyncQueue) {
        this.registry = registry;
        this.limiter = limiter;
        this.environments = environments;
        this.clock = clock;
        this.asyncQueue = asyncQueue;
    }

    public InvokeResult invoke(InvokeRequest req) {
        return invoke(req, RequestIds.next());
    }

    /** Invoke under a request id the caller already handed out (a front door that put it in the event). */
    public InvokeResult invoke(InvokeRequest req, String requestId) {
        Checked c = check(req, requestId);
        FunctionRef ref = c.ref();
        byte[] payload = c.payload();
        Optional<String> clientContext = c.clientContext();
        Target target = c.target();
        return switch (req.type()) {
            case DryRun -> new InvokeResult(204, new byte[0], Optional.empty(), Optional.empty(),
                    target.version().version(), requestId);
            case Event -> {
                // 202 only once the event is durably queued; the queue owns it from here.
                asyncQueue.get().enqueue(requestId, ref.name(), ref.qualifier(), payload, clientContext, req.traceId());
                yield new InvokeResult(202, new byte[0], Optional.empty(), Optional.empty(),
                        target.version().version(), requestId);
            }
            case RequestResponse -> run(target, payload, req.tailLog(), clientContext, req.traceId(), requestId);
        };
    }

    /** A request that passed the checks every invocation type shares, with its target and request id. */
    private record Checked(FunctionRef ref, byte[] payload, Optional<String> clientContext, Target target,
                           String requestId) {
    }

    private Checked check(InvokeRequest req, String requestId) {
        FunctionRef ref = FunctionRef.parse(req.functionName(), req.qualifier(), registry.arns());
        byte[] payload = req.payload().length == 0 ? EMPTY_EVENT : req.payload();
        int limit = req.type() == InvocationType.Event ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
        if (payload.length > limit) {
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        }
        checkJson(payload);
        Optional<String> clientContext = req.clientContext().map(Invoker::decodeClientContext);
        Target target = registry.target(ref);
        checkState(target.version());
        return new Checked(ref, payload, clientContext, target, requestId);
    }

    /** One attempt of a queued async event: the version is resolved now, as on AWS. */
    public AsyncFunctions.Attempt runQueued(AsyncFunctions.Invocation inv) {
        FunctionRef ref = FunctionRef.parse(inv.functionName(), inv.qualifier(), registry.arns());
        Target target = registry.target(ref);
        checkState(target.version());
        InvokeResult r = run(target, inv.payload(), false, inv.clientContext(), inv.traceId(), inv.requestId());
        return new AsyncFunctions.Attempt(r.functionError(), r.payload(), r.executedVersion());
    }

    /**
     * A concurrency slot a poller holds while it reads its source and runs the batch it read, so that
     * it never takes records it has no room to run (DESIGN.md §5.6). Closing gives the slot back.
     */
    public static final class Slot implements AutoCloseable {
        private final String functionArn;
        private final ConcurrencyLimiter.Lease lease;

        private Slot(String functionArn, ConcurrencyLimiter.Lease lease) {
            this.functionArn = functionArn;
            this.lease = lease;
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    /**
     * Takes a slot for {@code functionArn} (qualified or not).
     *
     * @throws LambdaException TooManyRequestsException when none is free; ResourceNotFoundException or
     *                         ResourceConflictException when the function cannot run
     */
    public Slot reserve(String functionArn) {
        FunctionRef ref = FunctionRef.parse(functionArn, Optional.empty(), registry.arns());
        Target target = registry.target(ref);
        checkState(target.version());
        return new Slot(functionArn, limiter.acquire(target.version().functionName(), target.record().reservedConcurrency()));
    }

    /** Runs {@code payload} synchronously in a slot taken by {@link #reserve}; the version is resolved now. */
    public InvokeResult invoke(Slot slot, byte[] payload) {
        if (payload.length > MAX_SYNC_PAYLOAD) {
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Request must be smaller than " + MAX_SYNC_PAYLOAD + " bytes for the InvokeFunction operation");
        }
        FunctionRef ref = FunctionRef.parse(slot.functionArn, Optional.empty(), registry.arns());
        Target target = registry.target(ref);
        checkState(target.version());
        return runIn(target, payload, false, Optional.empty(), Optional.empty(), RequestIds.next());
    }

    private InvokeResult run(Target target, byte[] payload, boolean tail, Optional<String> clientContext,
                             Optional<String> traceId, String requestId) {
        FunctionVersion v = target.version();
        try (ConcurrencyLimiter.Lease lease = limiter.acquire(v.functionName(), target.record().reservedConcurrency())) {
            return runIn(target, payload, tail, clientContext, traceId, requestId);
        }
    }

    /**
     * Runs a synchronous invocation whose response goes to {@code sink} as the function writes it: a
     * function that streams (Lambda-Runtime-Function-Response-Mode: streaming) has each piece passed on as
     * it arrives, up to {@link io.lamina.core.environment.EnvironmentManager#MAX_STREAMED_RESPONSE_BYTES}; a
     * buffered function's response arrives as one piece at the end. The same checks, concurrency slot,
     * environment and log lines as {@link #invoke}; the environment is released only once the stream ended.
     * Errors before the function ran are thrown as by {@link #invoke}; errors after are in the result.
     *
     * @param req RequestResponse or DryRun
     */
    public InvokeStreamResult invokeStreaming(InvokeRequest req, ResponseSink sink) {
        return invokeStreaming(req, RequestIds.next(), sink);
    }

    /** {@link #invokeStreaming(InvokeRequest, ResponseSink)} under a request id the caller already handed out. */
    public InvokeStreamResult invokeStreaming(InvokeRequest req, String requestId, ResponseSink sink) {
        if (req.type() == InvocationType.Event) {
            throw LambdaException.invalidParameter("Response streaming does not support the Event invocation type.");
        }
        Checked c = check(req, requestId);
        Target target = c.target();
        FunctionVersion v = target.version();
        if (req.type() == InvocationType.DryRun) {
            return new InvokeStreamResult(204, Optional.empty(), Optional.empty(), v.version(), requestId);
        }
        var stream = new ResponseStream(sink, v.version(), requestId);
        Ran ran;
        try (ConcurrencyLimiter.Lease lease = limiter.acquire(v.functionName(), target.record().reservedConcurrency())) {
            ran = runCore(target, c.payload(), req.tailLog(), c.clientContext(), req.traceId(), requestId,
                    Optional.of(stream));
        }
        // From here the Runtime API side can no longer reach the sink: it is ours to finish.
        boolean streamed = stream.close();
        Optional<InvokeStreamResult.Error> error = switch (ran.outcome()) {
            case Outcome.Success s -> {
                if (!streamed && !stream.callerGone()) {
                    deliverBuffered(sink, s.payload(), v.version(), requestId);
                }
                yield Optional.empty();
            }
            case Outcome.FunctionError f -> Optional.of(streamError(f.payload()));
            case Outcome.PlatformError p -> Optional.of(new InvokeStreamResult.Error(p.type().wireName(), p.message(),
                    p.payload()));
        };
        return new InvokeStreamResult(200, error, ran.logResult(), v.version(), requestId);
    }

    /** A buffered function's response, as one piece. */
    private static void deliverBuffered(ResponseSink sink, byte[] payload, String version, String requestId) {
        try {
            sink.buffered(payload, version, requestId);
        } catch (IOException e) {
            // the caller went away; the invocation itself succeeded
        }
    }

    /** The error code and details of a runtime's error document ({@code errorType}, {@code errorMessage}). */
    static InvokeStreamResult.Error streamError(byte[] document) {
        String type = "Unhandled";
        String message = "";
        try (JsonParser p = JSON.createParser(document)) {
            if (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    var t = p.nextToken();
                    if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && field.equals("errorType")) {
                        type = p.getText();
                    } else if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && field.equals("errorMessage")) {
                        message = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // not an object: the defaults stand
        }
        return new InvokeStreamResult.Error(type, message, document);
    }

    /** What one run produced, before it is shaped for the caller. */
    private record Ran(Outcome outcome, Optional<String> logResult, FunctionVersion version) {
    }

    private InvokeResult runIn(Target target, byte[] payload, boolean tail, Optional<String> clientContext,
                               Optional<String> traceId, String requestId) {
        Ran ran = runCore(target, payload, tail, clientContext, traceId, requestId, Optional.empty());
        FunctionVersion v = ran.version();
        Optional<String> logResult = ran.logResult();
        return switch (ran.outcome()) {
            case Outcome.Success s -> new InvokeResult(200, s.payload(), Optional.empty(), logResult, v.version(), requestId);
            case Outcome.FunctionError f -> new InvokeResult(200, f.payload(), Optional.of("Unhandled"), logResult,
                    v.version(), requestId);
            case Outcome.PlatformError p -> new InvokeResult(200, p.payload(), Optional.of("Unhandled"), logResult,
                    v.version(), requestId);
        };
    }

    private Ran runCore(Target target, byte[] payload, boolean tail, Optional<String> clientContext,
                        Optional<String> traceId, String requestId, Optional<ResponseStream> stream) {
        FunctionVersion v = target.version();
        ExecutionEnvironment env = environments.acquire(v);
        var log = env.log();
        long logStart = log.append("START RequestId: " + requestId + " Version: " + v.version() + "\n");
        var inv = new Invocation(requestId, payload, target.invokedArn(), clientContext, Optional.empty(),
                traceId.orElseGet(this::newTraceId), v.timeout() * 1000L, stream);
        ExecutionEnvironment.Run run = environments.run(env, inv);
        writeEnd(env, v, requestId, run);
        environments.release(env, run.reusable());
        Optional<String> logResult = tail
                ? Optional.of(Base64.getEncoder().encodeToString(log.tail(logStart, TAIL_BYTES)))
                : Optional.empty();
        return new Ran(run.outcome(), logResult, v);
    }

    private void writeEnd(ExecutionEnvironment env, FunctionVersion v, String requestId, ExecutionEnvironment.Run run) {
        var sb = new StringBuilder(256);
        String status = "";
        if (run.outcome() instanceof Outcome.PlatformError p) {
            if (p.type() == PlatformErrorType.SANDBOX_TIMEDOUT) {
                sb.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(clock.millis())))
                        .append(' ').append(requestId).append(" Task timed out after ").append(v.timeout())
                        .append(".00 seconds\n");
                status = "Status: timeout\t";
            } else {
                sb.append(p.message()).append('\n').append(p.type().wireName()).append('\n');
                status = "Status: error\tError Type: " + p.type().wireName() + "\t";
            }
        }
        sb.append("END RequestId: ").append(requestId).append('\n');
        // In hundredths of a millisecond, as printed, so that the billed figure adds up from the printed ones.
        long duration = Math.round(run.durationNanos() / 1e4);
        long init = run.initDurationNanos() >= 0 ? Math.round(run.initDurationNanos() / 1e4) : 0;
        // Since August 2025 AWS bills the init phase of every on-demand function: Duration + Init Duration.
        long billed = Math.max(1, Math.ceilDiv(duration + init, 100));
        sb.append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(millis(duration)).append(" ms")
                .append("\tBilled Duration: ").append(billed).append(" ms")
                .append("\tMemory Size: ").append(v.memorySize()).append(" MB")
                .append("\tMax Memory Used: ").append(envMemory(env)).append(" MB");
        if (run.initDurationNanos() >= 0) {
            sb.append("\tInit Duration: ").append(millis(init)).append(" ms");
        }
        sb.append('\t').append(status).append('\n');
        env.log().append(sb.toString());
    }

    private static String millis(long hundredths) {
        return String.format(Locale.ROOT, "%d.%02d", hundredths / 100, hundredths % 100);
    }

    private static long envMemory(ExecutionEnvironment env) {
        return env.maxMemoryUsedMb();
    }

    private static void checkState(FunctionVersion v) {
        if (v.state() == FunctionState.Pending) {
            throw LambdaException.conflict("The operation cannot be performed at this time. "
                    + "The function is currently in the following state: Pending");
        }
        if (v.state() == FunctionState.Failed || v.state() == FunctionState.Inactive) {
            throw LambdaException.conflict("The operation cannot be performed at this time. "
                    + "The function is currently in the following state: " + v.state());
        }
    }

    /** AWS refuses a payload that is not a JSON document. */
    private static void checkJson(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() == null) {
                throw new IOException("empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new IOException("trailing content");
            }
        } catch (IOException e) {
            // Jackson's whole message, location line included: AWS parses with Jackson and answers the same.
            String detail = e.getMessage() == null ? "" : e.getMessage();
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Could not parse request body into json: Could not parse payload into json: " + detail);
        }
    }

    private static String decodeClientContext(String b64) {
        try {
            String json = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            if (json.length() > 3583) {
                throw LambdaException.invalidParameter("Client context must be smaller than 3583 bytes.");
            }
            return json;
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Client context must be a valid Base64-encoded JSON object.");
        }
    }

    /** An X-Ray trace header for an invocation whose caller sent none. */
    private String newTraceId() {
        var rnd = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        rnd.nextBytes(root);
        rnd.nextBytes(parent);
        return "Root=1-" + String.format("%08x", clock.millis() / 1000) + "-" + HexFormat.of().formatHex(root)
                + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
    }
}
