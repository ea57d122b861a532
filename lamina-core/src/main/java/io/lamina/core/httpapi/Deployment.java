package io.lamina.core.httpapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the data plane serves for one HTTP API: its routes with their integrations and authorizers
 * resolved, and its stages, built from the stored documents whenever one changes so that a request
 * reads no store and parses no configuration.
 */
public record Deployment(String apiId, List<Route> routes, Optional<Route> defaultRoute, Map<String, Stage> stages,
                         Optional<Cors> cors, boolean endpointDisabled) {

    /** The API's CORS configuration; origins, methods and headers compared case-insensitively. */
    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                       List<String> exposeHeaders, int maxAge, boolean allowCredentials) {
        /** The value of access-control-allow-origin for {@code origin}, or empty when it is not allowed. */
        Optional<String> allowedOrigin(String origin) {
            for (String o : allowOrigins) {
                if (o.equals("*")) {
                    return Optional.of("*");
                }
                if (o.equalsIgnoreCase(origin)) {
                    return Optional.of(origin);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A Lambda proxy integration: the function (ARN, maybe qualified), payload version and timeout;
     * {@code asRole}: API Gateway invokes under the integration's CredentialsArn, whose identity policy
     * (not imitated) grants the call instead of the function's resource policy.
     */
    public record Integration(String id, String functionArn, String payloadFormatVersion, int timeoutMillis,
                              boolean asRole) {
        boolean v2() {
            return "2.0".equals(payloadFormatVersion);
        }
    }

    /** A Lambda REQUEST authorizer; {@code cacheKey} differs per deployment, so a change starts a fresh cache. */
    public record Authorizer(String cacheKey, String id, String functionArn, String payloadFormatVersion, boolean simpleResponses,
                             List<IdentitySource> identitySources, int ttlSeconds) {
    }

    /** One identity source: {@code $request.header.X}, {@code $request.querystring.X}, {@code $context.X} or {@code $stageVariables.X}. */
    public record IdentitySource(String expression, Where where, String name) {
        public enum Where { HEADER, QUERY, CONTEXT, STAGE_VARIABLE }
    }

    public record Stage(String name, Map<String, String> variables) {
    }

    /** A route; without an integration it answers 404 like an unknown route, as on AWS. */
    public record Route(String id, RouteKey key, Optional<Integration> integration, Optional<Authorizer> authorizer) {
    }

    public record Match(Route route, Map<String, String> pathParameters) {
    }

    /** The route AWS would pick: the most specific path first, a specific method before ANY, {@code $default} last. */
    public Optional<Match> match(String method, String path) {
        String[] parts = path.equals("/") || path.isEmpty() ? new String[0] : path.substring(1).split("/", -1);
        Route best = null;
        int[] bestScore = null;
        for (Route r : routes) {
            int[] score = score(r, method, parts);
            if (score != null && (bestScore == null || compare(score, bestScore) > 0)) {
                best = r;
                bestScore = score;
            }
        }
        if (best == null) {
            return defaultRoute.map(r -> new Match(r, Map.of()));
        }
        return Optional.of(new Match(best, parameters(best.key(), parts)));
    }

    /** Per segment 2 literal, 1 variable, 0 greedy; then the number of segments; then 1 for a specific method. Null: no match. */
    private static int[] score(Route r, String method, String[] parts) {
        RouteKey k = r.key();
        boolean exactMethod = k.method().equals(method);
        if (!exactMethod && !k.method().equals("ANY")) {
            return null;
        }
        var segs = k.segments();
        boolean greedy = !segs.isEmpty() && segs.getLast().kind() == RouteKey.Segment.Kind.GREEDY;
        if (greedy ? parts.length < segs.size() : parts.length != segs.size()) {
            return null;
        }
        int[] score = new int[segs.size() + 2];
        for (int i = 0; i < segs.size(); i++) {
            var s = segs.get(i);
            switch (s.kind()) {
                case LITERAL -> {
                    if (!s.text().equals(parts[i])) {
                        return null;
                    }
                    score[i] = 2;
                }
                case VARIABLE -> {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    score[i] = 1;
                }
                case GREEDY -> score[i] = 0;
            }
        }
        score[segs.size()] = segs.size();
        score[segs.size() + 1] = exactMethod ? 1 : 0;
        return score;
    }

    private static int compare(int[] a, int[] b) {
        int n = Math.min(a.length - 2, b.length - 2);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        return Integer.compare(a[a.length - 1], b[b.length - 1]);
    }

    private static Map<String, String> parameters(RouteKey key, String[] parts) {
        var segs = key.segments();
        List<String> kv = new ArrayList<>(4);
        for (int i = 0; i < segs.size(); i++) {
            var s = segs.get(i);
            switch (s.kind()) {
                case LITERAL -> {
                }
                case VARIABLE -> {
                    kv.add(s.name());
                    kv.add(decode(parts[i]));
                }
                case GREEDY -> {
                    kv.add(s.name());
                    kv.add(decode(String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length))));
                }
            }
        }
        if (kv.isEmpty()) {
            return Map.of();
        }
        var out = new java.util.LinkedHashMap<String, String>();
        for (int i = 0; i < kv.size(); i += 2) {
            out.put(kv.get(i), kv.get(i + 1));
        }
        return out;
    }

    /** Percent-decoding of a path value ({@code +} stays a plus in a path); a malformed escape is kept as written. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
