package io.lamina.core.alb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event ALB sends a Lambda target. Header names are lower-cased and sorted; query parameters are
 * passed as received, not URL-decoded; with multi-value headers off a repeated header or parameter
 * keeps its last value. A body is sent as text when its type is {@code text/*},
 * {@code application/json}, {@code application/javascript} or {@code application/xml} (and it is not
 * content-encoded), otherwise base64 with {@code isBase64Encoded: true}.
 */
public final class AlbEvents {
    private static final JsonFactory JSON = new JsonFactory();
    static final String HEALTH_CHECK_USER_AGENT = "ELB-HealthChecker/2.0";

    private AlbEvents() {
    }

    public static byte[] request(AlbRequest r, String targetGroupArn, boolean multiValue) {
        var headers = new TreeMap<String, List<String>>();
        for (var h : r.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(h.getValue());
        }
        boolean base64 = false;
        String body = "";
        if (r.body().length > 0) {
            base64 = !isText(first(headers, "content-type")) || headers.containsKey("content-encoding");
            body = base64 ? Base64.getEncoder().encodeToString(r.body()) : new String(r.body(), StandardCharsets.UTF_8);
        }
        return write(targetGroupArn, r.method(), r.path(), query(r.rawQuery()), headers, body, base64, multiValue);
    }

    /** The health-check event: GET on the configured path, user agent {@code ELB-HealthChecker/2.0}, no body. */
    public static byte[] healthCheck(String targetGroupArn, String path, boolean multiValue) {
        int q = path.indexOf('?');
        var headers = new TreeMap<String, List<String>>(Map.of("user-agent", List.of(HEALTH_CHECK_USER_AGENT)));
        return write(targetGroupArn, "GET", q < 0 ? path : path.substring(0, q),
                query(q < 0 ? "" : path.substring(q + 1)), headers, "", false, multiValue);
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi < 0 ? t : t.substring(0, semi)).trim();
        return t.startsWith("text/") || t.equals("application/json") || t.equals("application/javascript")
                || t.equals("application/xml");
    }

    /** Parameters in the order their names first appear, values as received (still URL-encoded). */
    static Map<String, List<String>> query(String raw) {
        var out = new LinkedHashMap<String, List<String>>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    private static byte[] write(String arn, String method, String path, Map<String, List<String>> query,
                                Map<String, List<String>> headers, String body, boolean base64, boolean multi) {
        var out = new ByteArrayOutputStream(256 + body.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("requestContext");
            g.writeObjectFieldStart("elb");
            g.writeStringField("targetGroupArn", arn);
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("httpMethod", method);
            g.writeStringField("path", path);
            map(g, multi ? "multiValueQueryStringParameters" : "queryStringParameters", query, multi);
            map(g, multi ? "multiValueHeaders" : "headers", headers, multi);
            g.writeStringField("body", body);
            g.writeBooleanField("isBase64Encoded", base64);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void map(JsonGenerator g, String field, Map<String, List<String>> values, boolean multi)
            throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : values.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            if (multi) {
                g.writeArrayFieldStart(e.getKey());
                for (String v : e.getValue()) {
                    g.writeString(v);
                }
                g.writeEndArray();
            } else {
                g.writeStringField(e.getKey(), e.getValue().getLast());
            }
        }
        g.writeEndObject();
    }
}
