package io.lamina.apimodel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches request lines against the operations' request URI templates: literal segments,
 * {@code {Label}} segments (one segment), {@code {Label+}} greedy segments (one or more), and the
 * literal query part of a template ({@code ?List=ALL}), which the request must carry. Labels are
 * percent-decoded after the path is split, so {@code %2F} inside a label stays inside it.
 */
final class Router {

    private static final Pattern LABEL = Pattern.compile("\\{([A-Za-z0-9_]+)(\\+)?}");

    private sealed interface Segment { }

    private record Literal(String text) implements Segment { }

    private record Label(String name, boolean greedy) implements Segment { }

    private record Template(Operation operation, List<Segment> segments, Map<String, String> requiredQuery) {

        int literalCount() {
            return (int) segments.stream().filter(s -> s instanceof Literal).count();
        }

        boolean hasGreedy() {
            return segments.stream().anyMatch(s -> s instanceof Label l && l.greedy());
        }
    }

    private final List<Template> templates;

    Router(List<Operation> operations) {
        List<Template> list = new ArrayList<>();
        for (Operation op : operations) {
            list.add(compile(op));
        }
        // Most specific first: more literal segments, no greedy label, more required query parameters.
        list.sort(Comparator.comparingInt((Template t) -> -t.literalCount())
                .thenComparing(Template::hasGreedy)
                .thenComparingInt(t -> -t.requiredQuery().size()));
        this.templates = List.copyOf(list);
    }

    private static Template compile(Operation op) {
        String uri = op.requestUri();
        String path = uri;
        Map<String, String> query = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        if (q >= 0) {
            path = uri.substring(0, q);
            for (String pair : uri.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? null : pair.substring(eq + 1));
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (String raw : splitPath(path)) {
            Matcher m = LABEL.matcher(raw);
            if (m.matches()) {
                segments.add(new Label(m.group(1), m.group(2) != null));
            } else if (raw.contains("{")) {
                throw new IllegalStateException("unsupported label in " + uri);
            } else {
                segments.add(new Literal(raw));
            }
        }
        return new Template(op, List.copyOf(segments), Map.copyOf(query));
    }

    Routing route(String method, String rawTarget) {
        String path = rawTarget;
        String rawQuery = null;
        int q = rawTarget.indexOf('?');
        if (q >= 0) {
            path = rawTarget.substring(0, q);
            rawQuery = rawTarget.substring(q + 1);
        }
        Map<String, List<String>> query = parseQuery(rawQuery);
        List<String> segments = splitPath(path);
        TreeSet<String> allowed = new TreeSet<>();
        for (Template t : templates) {
            Optional<Map<String, String>> labels = matchSegments(t.segments(), segments);
            if (labels.isEmpty() || !queryMatches(t.requiredQuery(), query)) {
                continue;
            }
            if (t.operation().method().equalsIgnoreCase(method)) {
                return new Routing.Matched(new RouteMatch(t.operation(), labels.get()));
            }
            allowed.add(t.operation().method());
        }
        return allowed.isEmpty() ? new Routing.NotFound() : new Routing.MethodNotAllowed(allowed);
    }

    /** Path segments without the leading empty one; a trailing slash is ignored (as Smithy routing does). */
    private static List<String> splitPath(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        List<String> out = new ArrayList<>();
        if (p.isEmpty()) {
            return out;
        }
        int start = 0;
        for (int i = 0; i <= p.length(); i++) {
            if (i == p.length() || p.charAt(i) == '/') {
                out.add(p.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static Optional<Map<String, String>> matchSegments(List<Segment> template, List<String> actual) {
        Map<String, String> labels = new LinkedHashMap<>();
        return match(template, 0, actual, 0, labels) ? Optional.of(labels) : Optional.empty();
    }

    private static boolean match(List<Segment> template, int ti, List<String> actual, int ai, Map<String, String> labels) {
        if (ti == template.size()) {
            return ai == actual.size();
        }
        if (ai >= actual.size()) {
            return false;
        }
        Segment seg = template.get(ti);
        if (seg instanceof Literal lit) {
            return lit.text().equals(percentDecode(actual.get(ai)))
                    && match(template, ti + 1, actual, ai + 1, labels);
        }
        Label label = (Label) seg;
        if (!label.greedy()) {
            String value = actual.get(ai);
            if (value.isEmpty()) {
                return false;
            }
            labels.put(label.name(), percentDecode(value));
            if (match(template, ti + 1, actual, ai + 1, labels)) {
                return true;
            }
            labels.remove(label.name());
            return false;
        }
        // Greedy: take as many segments as leave the rest of the template matchable (longest first).
        int rest = template.size() - ti - 1;
        for (int end = actual.size() - rest; end > ai; end--) {
            String value = String.join("/", actual.subList(ai, end));
            if (value.isEmpty()) {
                continue;
            }
            labels.put(label.name(), percentDecode(value));
            if (match(template, ti + 1, actual, end, labels)) {
                return true;
            }
            labels.remove(label.name());
        }
        return false;
    }

    private static boolean queryMatches(Map<String, String> required, Map<String, List<String>> query) {
        for (Map.Entry<String, String> e : required.entrySet()) {
            List<String> values = query.get(e.getKey());
            if (values == null) {
                return false;
            }
            if (e.getValue() != null && !values.contains(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Parses a raw query string ({@code a=1&b=%3A}) into decoded names and values; {@code +} is a space. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode((eq < 0 ? pair : pair.substring(0, eq)).replace('+', ' '));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1).replace('+', ' '));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /**
     * Percent-decodes (UTF-8) a path segment. Unlike {@link java.net.URLDecoder}, {@code +} stays a plus,
     * and a {@code %} not followed by two hex digits is kept as it is.
     */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
