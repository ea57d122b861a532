package io.lamina.core.alb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A target's health as ELB's {@code TargetHealth} reports it. With health checks disabled (the default
 * for Lambda targets) the state is {@code unavailable} ({@code Target.HealthCheckDisabled}); otherwise
 * a target starts {@code initial} and changes state after the configured number of consecutive passed
 * or failed checks. A check passes when the function answers with a status the matcher accepts.
 */
public final class AlbHealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(AlbHealthChecker.class);

    /** ELB's target health states used for Lambda targets. */
    public enum State { initial, healthy, unhealthy, unavailable }

    /**
     * @param reason      ELB's reason code ({@code Elb.InitialHealthChecking}, {@code Target.ResponseCodeMismatch},
     *                    {@code Target.Timeout}, {@code Target.FailedHealthChecks}, {@code Target.HealthCheckDisabled})
     */
    public record Status(State state, Optional<String> reason, Optional<String> description, int consecutiveSuccesses,
                         int consecutiveFailures, long checks, Optional<Instant> lastCheckedAt) {
    }

    private final String targetGroup;
    private final AlbHealthCheck config;
    private final Supplier<AlbOutcome> probe;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Status status;

    AlbHealthChecker(String targetGroup, AlbHealthCheck config, Supplier<AlbOutcome> probe, Clock clock) {
        this.targetGroup = targetGroup;
        this.config = config;
        this.probe = probe;
        this.clock = clock;
        this.status = config.enabled()
                ? new Status(State.initial, Optional.of("Elb.InitialHealthChecking"),
                Optional.of("Initial health checks in progress"), 0, 0, 0, Optional.empty())
                : new Status(State.unavailable, Optional.of("Target.HealthCheckDisabled"),
                Optional.of("Health checks are disabled"), 0, 0, 0, Optional.empty());
    }

    public AlbHealthCheck config() {
        return config;
    }

    public Status status() {
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    /** Runs one health check (the function call happens outside the lock) and records its result. */
    public Status checkOnce() {
        AlbOutcome outcome = probe.get();
        Optional<String[]> failure = judge(outcome);
        Instant now = clock.instant();
        Status before;
        Status after;
        lock.lock();
        try {
            before = status;
            int ok = failure.isEmpty() ? before.consecutiveSuccesses() + 1 : 0;
            int bad = failure.isEmpty() ? 0 : before.consecutiveFailures() + 1;
            State state = before.state();
            Optional<String> reason = before.reason();
            Optional<String> description = before.description();
            if (failure.isEmpty() && ok >= config.healthyThreshold() && state != State.healthy) {
                state = State.healthy;
                reason = Optional.empty();
                description = Optional.empty();
            } else if (failure.isPresent() && bad >= config.unhealthyThreshold()) {
                state = State.unhealthy;
                reason = Optional.of(failure.get()[0]);
                description = Optional.of(failure.get()[1]);
            }
            after = new Status(state, reason, description, ok, bad, before.checks() + 1, Optional.of(now));
            status = after;
        } finally {
            lock.unlock();
        }
        if (after.state() != before.state()) {
            if (after.state() == State.unhealthy) {
                LOG.warn("ALB target group {}: target is unhealthy ({}: {}); requests are still routed to it "
                        + "(fail open: no healthy target left)", targetGroup, after.reason().orElse(""),
                        after.description().orElse(""));
            } else {
                LOG.info("ALB target group {}: target is {}", targetGroup, after.state());
            }
        }
        return after;
    }

    /** ELB's reason code and description for a failed check, or empty for a passed one. */
    private Optional<String[]> judge(AlbOutcome outcome) {
        return switch (outcome) {
            case AlbOutcome.Answered a -> config.matcher().matches(a.response().status())
                    ? Optional.empty()
                    : Optional.of(new String[]{"Target.ResponseCodeMismatch",
                    "Health checks failed with these codes: [" + a.response().status() + "]"});
            case AlbOutcome.Failed f when f.failure() == AlbOutcome.Failure.IDLE_TIMEOUT ->
                    Optional.of(new String[]{"Target.Timeout", "Request timed out"});
            case AlbOutcome.Failed f -> Optional.of(new String[]{"Target.FailedHealthChecks",
                    "Health checks failed: " + f.detail()});
        };
    }
}
