package io.lamina.core.alb;

import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.invoke.Invoker;
import io.lamina.core.permissions.AccessRequest;
import io.lamina.core.permissions.Decision;
import io.lamina.core.permissions.ResourcePolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One listener's target group and its Lambda target: builds ALB's event, checks that the function's
 * resource-based policy lets {@code elasticloadbalancing.amazonaws.com} invoke it for this target
 * group, invokes, and turns the answer (or the failure) into ALB's response.
 */
public final class AlbTarget {
    private static final Logger LOG = LoggerFactory.getLogger(AlbTarget.class);
    public static final String SERVICE_PRINCIPAL = "elasticloadbalancing.amazonaws.com";
    /** The largest request body ALB sends to a Lambda function. */
    public static final int MAX_REQUEST_BODY = 1_048_576;

    private final AlbListener listener;
    private final String arn;
    private final FunctionRef function;
    private final AccessRequest access;
    private final Invoker invoker;
    private final ResourcePolicies permissions;
    private final ExecutorService executor;
    private final Clock clock;
    private final AlbHealthChecker health;
    private volatile int boundPort;

    AlbTarget(AlbListener listener, String arn, FunctionRef function, String accountId, Invoker invoker,
              ResourcePolicies permissions, ExecutorService executor, Clock clock) {
        this.listener = listener;
        this.arn = arn;
        this.function = function;
        this.access = AccessRequest.service(AccessRequest.INVOKE_FUNCTION, SERVICE_PRINCIPAL, Optional.of(arn),
                Optional.of(accountId));
        this.invoker = invoker;
        this.permissions = permissions;
        this.executor = executor;
        this.clock = clock;
        this.boundPort = listener.port();
        AlbHealthCheck hc = listener.targetGroup().healthCheck();
        this.health = new AlbHealthChecker(listener.targetGroup().name(), hc,
                () -> dispatch(AlbEvents.healthCheck(arn, hc.path(), multiValue()), hc.timeout(), Optional.empty()),
                clock);
    }

    public AlbListener listener() {
        return listener;
    }

    public String name() {
        return listener.targetGroup().name();
    }

    public String arn() {
        return arn;
    }

    public boolean multiValue() {
        return listener.targetGroup().multiValueHeaders();
    }

    public AlbHealthChecker health() {
        return health;
    }

    /** The port the listener actually listens on (the configured one may be 0). */
    public int boundPort() {
        return boundPort;
    }

    public void bound(int port) {
        this.boundPort = port;
    }

    /**
     * Serves one request. When every target of the group is unhealthy ALB fails open and routes
     * anyway; a group has one Lambda target, so requests are routed whatever its health.
     */
    public AlbOutcome serve(AlbRequest request) {
        if (request.body().length > MAX_REQUEST_BODY) {
            return fail(AlbOutcome.Failure.REQUEST_TOO_LARGE, "request body of " + request.body().length
                    + " bytes is over ALB's 1 MB limit for Lambda targets");
        }
        Optional<String> trace = request.header("x-amzn-trace-id");
        AlbRequest r = request;
        if (trace.isEmpty()) {
            // ALB adds a trace header when the client sent none; the function sees it in the event.
            String id = "Root=1-" + Long.toHexString(clock.millis() / 1000) + "-"
                    + HexFormat.of().formatHex(randomBytes(12));
            var headers = new ArrayList<>(request.headers());
            headers.add(Map.entry("x-amzn-trace-id", List.of(id)));
            r = new AlbRequest(request.method(), request.path(), request.rawQuery(), headers, request.body());
            trace = Optional.of(id);
        }
        return dispatch(AlbEvents.request(r, arn, multiValue()), listener.idleTimeout(), trace);
    }

    AlbOutcome dispatch(byte[] event, Duration timeout, Optional<String> traceId) {
        Decision d = permissions.evaluate(function, access);
        if (!d.allowed()) {
            LOG.warn("ALB target group {} may not invoke function {}: {}. Grant it with: aws lambda add-permission "
                            + "--function-name {} --statement-id elb-{} --principal {} --action lambda:InvokeFunction "
                            + "--source-arn {}", name(), describe(), d.reason(), describe(), name(), SERVICE_PRINCIPAL, arn);
            return new AlbOutcome.Failed(AlbOutcome.Failure.PERMISSION_DENIED, d.reason());
        }
        var req = new InvokeRequest(function.name(), function.qualifier(), InvocationType.RequestResponse, event, false,
                Optional.empty(), traceId);
        Future<InvokeResult> call = executor.submit(() -> invoker.invoke(req));
        InvokeResult result;
        try {
            result = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The invocation runs on to its own timeout, as on AWS; only the client stops waiting.
            return fail(AlbOutcome.Failure.IDLE_TIMEOUT, "function " + describe() + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return fail(AlbOutcome.Failure.INVOKE_FAILED, "interrupted");
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof LambdaException le
                    ? le.type() + ": " + le.getMessage() : String.valueOf(e.getCause());
            return fail(AlbOutcome.Failure.INVOKE_FAILED, "invoking " + describe() + " failed: " + why);
        }
        if (result.functionError().isPresent()) {
            return fail(AlbOutcome.Failure.FUNCTION_ERROR, "function " + describe() + " returned an error: "
                    + abbreviate(result.payload()));
        }
        if (result.payload().length > AlbResponses.MAX_RESPONSE_BYTES) {
            return fail(AlbOutcome.Failure.RESPONSE_TOO_LARGE, "response of " + describe() + " is "
                    + result.payload().length + " bytes, over ALB's 1 MB limit");
        }
        try {
            return new AlbOutcome.Answered(AlbResponses.parse(result.payload(), multiValue()));
        } catch (AlbResponses.MalformedResponseException e) {
            return fail(AlbOutcome.Failure.MALFORMED_RESPONSE, "malformed response from " + describe() + ": "
                    + e.getMessage());
        }
    }

    private AlbOutcome fail(AlbOutcome.Failure f, String detail) {
        LOG.info("ALB target group {}: {} ({})", name(), detail, f.status());
        return new AlbOutcome.Failed(f, detail);
    }

    private String describe() {
        return function.name() + function.qualifier().map(q -> ":" + q).orElse("");
    }

    private static String abbreviate(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 300), java.nio.charset.StandardCharsets.UTF_8);
        return payload.length > 300 ? s + "..." : s;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
