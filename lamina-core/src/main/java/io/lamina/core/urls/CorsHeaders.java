package io.lamina.core.urls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A URL's CORS settings applied the way Lambda applies them: the URL itself answers preflight
 * requests (the function is not invoked), and on every other response from an allowed origin it sets
 * the {@code Access-Control-*} headers, replacing any the function set.
 */
public final class CorsHeaders {
    private CorsHeaders() {
    }

    /** An {@code OPTIONS} request with {@code Origin} and {@code Access-Control-Request-Method}. */
    public static boolean isPreflight(UrlRequest req) {
        return req.method().equals("OPTIONS") && req.header("origin").isPresent()
                && req.header("access-control-request-method").isPresent();
    }

    /**
     * The preflight answer's headers: empty (no {@code Access-Control-*} at all, so the browser refuses)
     * when the origin, the method or one of the requested headers is not allowed.
     */
    public static List<Map.Entry<String, String>> preflight(UrlConfig.Cors cors, UrlRequest req) {
        var out = new ArrayList<Map.Entry<String, String>>();
        String origin = req.header("origin").orElse("");
        Optional<String> allowOrigin = allowedOrigin(cors, origin);
        String method = req.header("access-control-request-method").orElse("").strip();
        List<String> methods = cors.allowMethods().orElse(List.of());
        boolean methodOk = methods.stream().anyMatch(m -> m.equals("*") || m.equalsIgnoreCase(method));
        List<String> requested = req.header("access-control-request-headers").map(CorsHeaders::split).orElse(List.of());
        List<String> allowedHeaders = cors.allowHeaders().orElse(List.of());
        boolean headersOk = requested.stream().allMatch(h -> allowedHeaders.stream()
                .anyMatch(a -> a.equals("*") || a.equalsIgnoreCase(h)));
        if (allowOrigin.isEmpty() || !methodOk || !headersOk) {
            return out;
        }
        out.add(Map.entry("Access-Control-Allow-Origin", allowOrigin.get()));
        out.add(Map.entry("Access-Control-Allow-Methods", methods.contains("*") ? method : String.join(",", methods)));
        if (!requested.isEmpty()) {
            out.add(Map.entry("Access-Control-Allow-Headers", allowedHeaders.contains("*")
                    ? String.join(",", requested) : String.join(",", allowedHeaders)));
        }
        cors.maxAge().ifPresent(a -> out.add(Map.entry("Access-Control-Max-Age", Integer.toString(a))));
        if (cors.allowCredentials().orElse(false)) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        out.add(Map.entry("Vary", "Origin"));
        return out;
    }

    /** The headers added to a function's response for a request from an allowed origin. */
    public static List<Map.Entry<String, String>> response(UrlConfig.Cors cors, UrlRequest req) {
        var out = new ArrayList<Map.Entry<String, String>>();
        Optional<String> origin = req.header("origin").flatMap(o -> allowedOrigin(cors, o));
        if (origin.isEmpty()) {
            return out;
        }
        out.add(Map.entry("Access-Control-Allow-Origin", origin.get()));
        cors.exposeHeaders().filter(l -> !l.isEmpty())
                .ifPresent(l -> out.add(Map.entry("Access-Control-Expose-Headers", String.join(",", l))));
        if (cors.allowCredentials().orElse(false)) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        out.add(Map.entry("Vary", "Origin"));
        return out;
    }

    /** Whether a function response header is one CORS settings replace. */
    public static boolean isCorsHeader(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("access-control-");
    }

    /**
     * The Allow-Origin value for an origin: {@code *} when all are allowed (the origin itself when
     * credentials are allowed, since browsers refuse {@code *} with credentials), else the origin if listed.
     */
    private static Optional<String> allowedOrigin(UrlConfig.Cors cors, String origin) {
        List<String> origins = cors.allowOrigins().orElse(List.of());
        if (origins.contains("*")) {
            return Optional.of(cors.allowCredentials().orElse(false) ? origin : "*");
        }
        return origins.stream().filter(o -> o.equalsIgnoreCase(origin)).findFirst().map(o -> origin);
    }

    private static List<String> split(String csv) {
        var out = new ArrayList<String>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
