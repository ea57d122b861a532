package io.lamina.apimodel;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** Test helper: drives route → bind → validate the way the HTTP layer will. */
final class Requests {

    static final LambdaApiModel MODEL = LambdaApiModel.load();

    private Requests() { }

    /** Routes, binds and returns the bound input; {@code target} is the raw request target (path?query). */
    static BoundInput bind(String method, String target, String body) {
        return bind(method, target, Map.of(), body);
    }

    static BoundInput bind(String method, String target, Map<String, String> headers, String body) {
        RouteMatch match = MODEL.match(method, target)
                .orElseThrow(() -> new AssertionError("no operation for " + method + " " + target));
        int q = target.indexOf('?');
        Map<String, List<String>> query = LambdaApiModel.parseQuery(q < 0 ? null : target.substring(q + 1));
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        Function<String, Optional<String>> header = name -> Optional.ofNullable(h.get(name));
        return MODEL.bind(match, query, header, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The ValidationException message for a request, empty when AWS would not answer one. */
    static Optional<String> validationMessage(String method, String target, String body) {
        BoundInput in = bind(method, target, body);
        return MODEL.validate(in.operation(), in.input());
    }

    /** Replaces each key of {@code values} by its value, in insertion order. */
    static String substitute(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The inverse of {@link #substitute}: concrete values back to LocalStack's placeholders. */
    static String anonymise(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace(e.getValue(), e.getKey());
        }
        return out;
    }

    static Map<String, String> placeholders(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
