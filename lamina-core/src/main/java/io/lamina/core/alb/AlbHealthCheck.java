package io.lamina.core.alb;

import java.time.Duration;
import java.util.Objects;

/**
 * A target group's health check, with AWS's defaults for Lambda targets (CreateTargetGroup with
 * {@code TargetType=lambda}): disabled, path {@code /}, every 35 s, 30 s timeout, 5 successes to
 * become healthy, 2 failures to become unhealthy, success codes {@code 200}.
 *
 * @param matcher HTTP codes that count as success: {@code 200}, {@code 200,202} or {@code 200-299}
 */
public record AlbHealthCheck(boolean enabled, String path, Duration interval, Duration timeout,
                             int healthyThreshold, int unhealthyThreshold, HttpCodeMatcher matcher) {
    public AlbHealthCheck {
        Objects.requireNonNull(matcher, "matcher");
        if (path == null || !path.startsWith("/") || path.length() > 1024) {
            throw new IllegalArgumentException("health check path must start with / (at most 1024 characters): " + path);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (healthyThreshold < 2 || healthyThreshold > 10 || unhealthyThreshold < 2 || unhealthyThreshold > 10) {
            throw new IllegalArgumentException("healthy and unhealthy threshold counts must be 2-10");
        }
    }

    public static AlbHealthCheck lambdaDefaults() {
        return new AlbHealthCheck(false, "/", Duration.ofSeconds(35), Duration.ofSeconds(30), 5, 2,
                HttpCodeMatcher.parse("200"));
    }

    public AlbHealthCheck withEnabled(boolean on) {
        return new AlbHealthCheck(on, path, interval, timeout, healthyThreshold, unhealthyThreshold, matcher);
    }

    public AlbHealthCheck withPath(String p) {
        return new AlbHealthCheck(enabled, p, interval, timeout, healthyThreshold, unhealthyThreshold, matcher);
    }

    /** Interval and timeout; tests use sub-second values the settings (AWS's ranges) do not accept. */
    public AlbHealthCheck withTiming(Duration newInterval, Duration newTimeout) {
        return new AlbHealthCheck(enabled, path, newInterval, newTimeout, healthyThreshold, unhealthyThreshold, matcher);
    }

    public AlbHealthCheck withThresholds(int healthy, int unhealthy) {
        return new AlbHealthCheck(enabled, path, interval, timeout, healthy, unhealthy, matcher);
    }

    public AlbHealthCheck withMatcher(HttpCodeMatcher m) {
        return new AlbHealthCheck(enabled, path, interval, timeout, healthyThreshold, unhealthyThreshold, m);
    }
}
