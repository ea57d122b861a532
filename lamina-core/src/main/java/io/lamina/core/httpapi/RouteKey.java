package io.lamina.core.httpapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A route key of an HTTP API: {@code $default}, or a method and a path such as {@code GET /items/{id}}
 * or {@code ANY /{proxy+}}. Path segments are literals, {@code {name}} variables or, last only, one
 * greedy {@code {name+}} variable.
 *
 * @param method   the HTTP method, {@code ANY}, or empty for {@code $default}
 * @param path     the path as written, or {@code $default}
 * @param segments the path's segments (none for {@code /} and {@code $default})
 */
public record RouteKey(String method, String path, List<Segment> segments) {
    public static final String DEFAULT = "$default";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");

    /** A literal, a {@code {variable}} or a greedy {@code {variable+}}. */
    public record Segment(String text, Kind kind) {
        public enum Kind { LITERAL, VARIABLE, GREEDY }

        /** The parameter name of a variable segment. */
        String name() {
            return kind == Kind.LITERAL ? text : text.substring(1, text.length() - (kind == Kind.GREEDY ? 2 : 1));
        }
    }

    public boolean isDefault() {
        return method.isEmpty();
    }

    /** The key as written: {@code GET /items/{id}} or {@code $default}. */
    public String text() {
        return isDefault() ? DEFAULT : method + " " + path;
    }

    /**
     * Parses and validates a route key the way CreateRoute does.
     *
     * @throws HttpApiException BadRequestException when the key is not a valid HTTP API route key
     */
    public static RouteKey parse(String key) {
        if (DEFAULT.equals(key)) {
            return new RouteKey("", DEFAULT, List.of());
        }
        int space = key.indexOf(' ');
        if (space <= 0 || key.indexOf(' ', space + 1) >= 0) {
            throw invalid(key);
        }
        String method = key.substring(0, space);
        String path = key.substring(space + 1);
        if (!METHODS.contains(method) || !path.startsWith("/")) {
            throw invalid(key);
        }
        var segments = new ArrayList<Segment>();
        if (!path.equals("/")) {
            String[] parts = path.substring(1).split("/", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.isEmpty()) {
                    throw invalid(key);
                }
                if (p.startsWith("{") && p.endsWith("}")) {
                    boolean greedy = p.endsWith("+}");
                    String name = p.substring(1, p.length() - (greedy ? 2 : 1));
                    if (!name.matches("[A-Za-z0-9._\\-]+") || (greedy && i != parts.length - 1)) {
                        throw invalid(key);
                    }
                    segments.add(new Segment(p, greedy ? Segment.Kind.GREEDY : Segment.Kind.VARIABLE));
                } else if (p.contains("{") || p.contains("}") || p.contains("+")) {
                    throw invalid(key);
                } else {
                    segments.add(new Segment(p, Segment.Kind.LITERAL));
                }
            }
        }
        return new RouteKey(method, path, List.copyOf(segments));
    }

    private static HttpApiException invalid(String key) {
        return HttpApiException.badRequest("Unable to create route. The route key '" + key
                + "' is invalid: use $default or an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY), "
                + "a space and a path starting with /; a greedy path variable {name+} may only be the last segment.");
    }
}
