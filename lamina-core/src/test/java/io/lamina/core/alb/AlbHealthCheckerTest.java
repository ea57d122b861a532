package io.lamina.core.alb;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlbHealthCheckerTest {
    private final Deque<AlbOutcome> answers = new ArrayDeque<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private AlbHealthChecker checker(AlbHealthCheck config) {
        return new AlbHealthChecker("web", config, answers::removeFirst, clock);
    }

    private static AlbOutcome status(int code) {
        return new AlbOutcome.Answered(new AlbResponse(code, "", List.of(), new byte[0]));
    }

    private static final AlbHealthCheck ENABLED = AlbHealthCheck.lambdaDefaults().withEnabled(true).withThresholds(3, 2);

    @Test
    void status_whenDisabled_isUnavailable() {
        var s = checker(AlbHealthCheck.lambdaDefaults()).status();
        assertThat(s.state()).isEqualTo(AlbHealthChecker.State.unavailable);
        assertThat(s.reason()).contains("Target.HealthCheckDisabled");
    }

    @Test
    void checks_moveInitialToHealthy_onlyAfterTheHealthyThreshold() {
        var c = checker(ENABLED);
        assertThat(c.status().state()).isEqualTo(AlbHealthChecker.State.initial);
        assertThat(c.status().reason()).contains("Elb.InitialHealthChecking");
        answers.addAll(List.of(status(200), status(200), status(200)));
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.initial);
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.initial);
        var s = c.checkOnce();
        assertThat(s.state()).isEqualTo(AlbHealthChecker.State.healthy);
        assertThat(s.reason()).isEmpty();
        assertThat(s.checks()).isEqualTo(3);
        assertThat(s.lastCheckedAt()).contains(clock.instant());
    }

    @Test
    void checks_goHealthyToUnhealthyToHealthy_byConsecutiveCounts() {
        var c = checker(ENABLED);
        answers.addAll(List.of(status(200), status(200), status(200)));
        for (int i = 0; i < 3; i++) {
            c.checkOnce();
        }
        answers.addAll(List.of(status(503), status(200), status(503)));
        c.checkOnce();
        c.checkOnce(); // a success in between resets the failure count
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.healthy);
        answers.add(status(503));
        var s = c.checkOnce();
        assertThat(s.state()).isEqualTo(AlbHealthChecker.State.unhealthy);
        assertThat(s.reason()).contains("Target.ResponseCodeMismatch");
        assertThat(s.description()).contains("Health checks failed with these codes: [503]");
        answers.addAll(List.of(status(200), status(200)));
        c.checkOnce();
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.unhealthy);
        answers.add(status(200));
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.healthy);
    }

    @Test
    void checks_reportTimeoutsAndFunctionErrorsWithElbReasons() {
        var c = checker(ENABLED);
        answers.addAll(List.of(new AlbOutcome.Failed(AlbOutcome.Failure.IDLE_TIMEOUT, "slow"),
                new AlbOutcome.Failed(AlbOutcome.Failure.IDLE_TIMEOUT, "slow")));
        c.checkOnce();
        assertThat(c.checkOnce().reason()).contains("Target.Timeout");
        answers.addAll(List.of(new AlbOutcome.Failed(AlbOutcome.Failure.FUNCTION_ERROR, "boom"),
                new AlbOutcome.Failed(AlbOutcome.Failure.PERMISSION_DENIED, "no grant")));
        c.checkOnce();
        var s = c.checkOnce();
        assertThat(s.reason()).contains("Target.FailedHealthChecks");
        assertThat(s.description().orElseThrow()).contains("no grant");
    }

    @Test
    void matcher_acceptsOnlyItsCodes() {
        var c = checker(ENABLED.withMatcher(HttpCodeMatcher.parse("202")).withTiming(Duration.ofMillis(10),
                Duration.ofMillis(5)));
        answers.addAll(List.of(status(200), status(200)));
        c.checkOnce();
        assertThat(c.checkOnce().state()).isEqualTo(AlbHealthChecker.State.unhealthy);
    }
}
