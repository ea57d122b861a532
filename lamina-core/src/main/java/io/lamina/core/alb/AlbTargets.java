package io.lamina.core.alb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lamina.core.function.Arns;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.invoke.Invoker;
import io.lamina.core.permissions.ResourcePolicies;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The configured ALB listeners' target groups, by name, and the health checks that run for them.
 * Health checks run one at a time per target, the next one an interval after the previous ended.
 */
public final class AlbTargets implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, AlbTarget> byName = new LinkedHashMap<>();
    private final ExecutorService invocations;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    public AlbTargets(List<AlbListener> listeners, Arns arns, Invoker invoker, ResourcePolicies permissions,
                      Clock clock) {
        this.invocations = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lamina-alb-", 0).factory());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("lamina-alb-health").daemon().factory());
        for (AlbListener l : listeners) {
            AlbTargetGroup g = l.targetGroup();
            FunctionRef ref = FunctionRef.parse(g.function(), Optional.empty(), arns);
            var target = new AlbTarget(l, g.arn(arns.region(), arns.accountId()), ref, arns.accountId(), invoker,
                    permissions, invocations, clock);
            if (byName.putIfAbsent(g.name(), target) != null) {
                throw new IllegalArgumentException("target group " + g.name() + " is configured twice");
            }
        }
    }

    public List<AlbTarget> all() {
        return List.copyOf(byName.values());
    }

    public Optional<AlbTarget> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Starts the periodic health checks of the target groups that enable them. */
    public void startHealthChecks() {
        for (AlbTarget t : byName.values()) {
            if (t.health().config().enabled()) {
                scheduler.execute(() -> check(t));
            }
        }
    }

    private void check(AlbTarget t) {
        if (closed) {
            return;
        }
        // The check blocks on the function: run it on a virtual thread, then schedule the next.
        invocations.execute(() -> {
            try {
                t.health().checkOnce();
            } finally {
                if (!closed) {
                    scheduler.schedule(() -> check(t), t.health().config().interval().toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        });
    }

    /** The listeners, target groups and target health as JSON (served at {@code GET /_lamina/alb}). */
    public byte[] statusJson() {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("TargetGroups");
            for (AlbTarget t : byName.values()) {
                AlbHealthCheck hc = t.health().config();
                AlbHealthChecker.Status s = t.health().status();
                g.writeStartObject();
                g.writeStringField("TargetGroupName", t.name());
                g.writeStringField("TargetGroupArn", t.arn());
                g.writeStringField("TargetType", "lambda");
                g.writeNumberField("ListenerPort", t.boundPort());
                g.writeStringField("Function", t.listener().targetGroup().function());
                g.writeBooleanField("MultiValueHeadersEnabled", t.multiValue());
                g.writeNumberField("IdleTimeoutSeconds", t.listener().idleTimeout().toMillis() / 1000.0);
                g.writeBooleanField("HealthCheckEnabled", hc.enabled());
                g.writeStringField("HealthCheckPath", hc.path());
                g.writeNumberField("HealthCheckIntervalSeconds", hc.interval().toMillis() / 1000.0);
                g.writeNumberField("HealthCheckTimeoutSeconds", hc.timeout().toMillis() / 1000.0);
                g.writeNumberField("HealthyThresholdCount", hc.healthyThreshold());
                g.writeNumberField("UnhealthyThresholdCount", hc.unhealthyThreshold());
                g.writeObjectFieldStart("Matcher");
                g.writeStringField("HttpCode", hc.matcher().spec());
                g.writeEndObject();
                g.writeObjectFieldStart("TargetHealth");
                g.writeStringField("State", s.state().name());
                if (s.reason().isPresent()) {
                    g.writeStringField("Reason", s.reason().get());
                }
                if (s.description().isPresent()) {
                    g.writeStringField("Description", s.description().get());
                }
                g.writeEndObject();
                g.writeNumberField("ConsecutiveSuccesses", s.consecutiveSuccesses());
                g.writeNumberField("ConsecutiveFailures", s.consecutiveFailures());
                g.writeNumberField("Checks", s.checks());
                if (s.lastCheckedAt().isPresent()) {
                    g.writeStringField("LastCheckedAt", s.lastCheckedAt().get().toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        invocations.shutdownNow();
    }
}
