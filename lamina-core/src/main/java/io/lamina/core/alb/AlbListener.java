package io.lamina.core.alb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP listener of an imitated Application Load Balancer that forwards every request to one
 * target group.
 *
 * @param port        listening port (0 = any free port)
 * @param idleTimeout the load balancer attribute {@code idle_timeout.timeout_seconds} (default 60 s): a
 *                    function that has not answered by then gets the client a 504
 */
public record AlbListener(int port, Duration idleTimeout, AlbTargetGroup targetGroup) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final Set<String> OPTIONS = Set.of("lambda.multi_value_headers.enabled", "idle-timeout-seconds",
            "health-check-enabled", "health-check-path", "health-check-interval-seconds",
            "health-check-timeout-seconds", "healthy-threshold-count", "unhealthy-threshold-count", "matcher");

    public AlbListener {
        Objects.requireNonNull(targetGroup, "targetGroup");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener port must be 0-65535: " + port);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive");
        }
    }

    public static AlbListener of(int port, AlbTargetGroup targetGroup) {
        return new AlbListener(port, DEFAULT_IDLE_TIMEOUT, targetGroup);
    }

    public AlbListener withIdleTimeout(Duration d) {
        return new AlbListener(port, d, targetGroup);
    }

    /**
     * Parses listeners written as {@code name:port:function[?option=value&...]}, separated by spaces or
     * {@code ;}. Options use ELB's names: {@code lambda.multi_value_headers.enabled},
     * {@code idle-timeout-seconds} (1-4000), {@code health-check-enabled}, {@code health-check-path},
     * {@code health-check-interval-seconds} (5-300), {@code health-check-timeout-seconds} (2-120, less
     * than the interval), {@code healthy-threshold-count} and {@code unhealthy-threshold-count} (2-10),
     * {@code matcher} ({@code 200}, {@code 200,202}, {@code 200-299}).
     */
    public static List<AlbListener> parseAll(String specs) {
        var out = new ArrayList<AlbListener>();
        for (String spec : specs.trim().split("[\\s;]+")) {
            if (!spec.isEmpty()) {
                out.add(parse(spec));
            }
        }
        var names = new java.util.HashSet<String>();
        for (AlbListener l : out) {
            if (!names.add(l.targetGroup().name())) {
                throw new IllegalArgumentException("target group " + l.targetGroup().name() + " is listed twice");
            }
        }
        return List.copyOf(out);
    }

    static AlbListener parse(String spec) {
        int q = spec.indexOf('?');
        String head = q < 0 ? spec : spec.substring(0, q);
        String[] parts = head.split(":", 3);
        if (parts.length < 3) {
            throw new IllegalArgumentException("ALB listener must look like name:port:function[?option=value&...]: " + spec);
        }
        int port;
        try {
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ALB listener port is not a number: " + spec);
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : spec.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || !OPTIONS.contains(kv.substring(0, eq))) {
                    throw new IllegalArgumentException("unknown ALB listener option '" + kv + "' (known: "
                            + new java.util.TreeSet<>(OPTIONS) + ")");
                }
                options.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        AlbHealthCheck hc = AlbHealthCheck.lambdaDefaults();
        long interval = seconds(options, "health-check-interval-seconds", hc.interval().toSeconds(), 5, 300);
        long timeout = seconds(options, "health-check-timeout-seconds", hc.timeout().toSeconds(), 2, 120);
        if (timeout >= interval) {
            throw new IllegalArgumentException("health check timeout must be smaller than its interval: " + spec);
        }
        hc = new AlbHealthCheck(bool(options, "health-check-enabled", hc.enabled()),
                options.getOrDefault("health-check-path", hc.path()), Duration.ofSeconds(interval),
                Duration.ofSeconds(timeout),
                (int) seconds(options, "healthy-threshold-count", hc.healthyThreshold(), 2, 10),
                (int) seconds(options, "unhealthy-threshold-count", hc.unhealthyThreshold(), 2, 10),
                options.containsKey("matcher") ? HttpCodeMatcher.parse(options.get("matcher")) : hc.matcher());
        var group = new AlbTargetGroup(parts[0], parts[2], bool(options, "lambda.multi_value_headers.enabled", false), hc);
        long idle = seconds(options, "idle-timeout-seconds", DEFAULT_IDLE_TIMEOUT.toSeconds(), 1, 4000);
        return new AlbListener(port, Duration.ofSeconds(idle), group);
    }

    /** This listener written back as {@link #parseAll} reads it (whole seconds). */
    public String spec() {
        AlbTargetGroup g = targetGroup;
        AlbHealthCheck h = g.healthCheck();
        return g.name() + ":" + port + ":" + g.function()
                + "?lambda.multi_value_headers.enabled=" + g.multiValueHeaders()
                + "&idle-timeout-seconds=" + idleTimeout.toSeconds()
                + "&health-check-enabled=" + h.enabled()
                + "&health-check-path=" + h.path()
                + "&health-check-interval-seconds=" + h.interval().toSeconds()
                + "&health-check-timeout-seconds=" + h.timeout().toSeconds()
                + "&healthy-threshold-count=" + h.healthyThreshold()
                + "&unhealthy-threshold-count=" + h.unhealthyThreshold()
                + "&matcher=" + h.matcher().spec();
    }

    private static boolean bool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false: " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static long seconds(Map<String, String> o, String key, long dflt, long min, long max) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + " must be " + min + "-" + max + ": " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }
}
