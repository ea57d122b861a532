package io.lamina.core.httpapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The events API Gateway sends for an HTTP API: the Lambda proxy events of payload format 2.0 and
 * 1.0 and the Lambda REQUEST authorizer events of both versions, written in one streaming pass.
 */
final class Events {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Events() {
    }

    /** One request, read once: what every event of it is written from. */
    record Request(GatewayRequest raw, String apiId, String accountId, String stage, String routeKey,
                   String resourcePath, String requestId, long timeEpoch, String path,
                   Map<String, List<String>> headers, Map<String, List<String>> lowerHeaders, List<String> cookies,
                   Map<String, List<String>> query, Map<String, String> pathParameters, Map<String, String> stageVariables,
                   String userAgent) {

        String time() {
            return TIME.format(Instant.ofEpochMilli(timeEpoch));
        }

        /** The header's values (case-insensitive), or empty. */
        Optional<String> header(String name) {
            List<String> v = lowerHeaders.get(name.toLowerCase(Locale.ROOT));
            return v == null ? Optional.empty() : Optional.of(String.join(",", v));
        }
    }

    static Request read(GatewayRequest raw, String apiId, String accountId, String stage, String routeKey,
                        String resourcePath, String requestId, long timeEpoch, Map<String, String> pathParameters,
                        Map<String, String> stageVariables, boolean keepHeaderCase) {
        // Payload 1.0 keeps header names as sent; 2.0 lower-cases them: the first map is built only when needed.
        var lower = new LinkedHashMap<String, List<String>>();
        var headers = keepHeaderCase ? new LinkedHashMap<String, List<String>>() : lower;
        var cookies = new ArrayList<String>(0);
        for (var h : raw.headers()) {
            String name = h.getKey();
            String ln = name.toLowerCase(Locale.ROOT);
            if (keepHeaderCase) {
                headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(h.getValue());
            }
            lower.computeIfAbsent(ln, k -> new ArrayList<>(1)).add(h.getValue());
            if (ln.equals("cookie")) {
                for (String c : h.getValue().split(";")) {
                    String t = c.trim();
                    if (!t.isEmpty()) {
                        cookies.add(t);
                    }
                }
            }
        }
        var query = new LinkedHashMap<String, List<String>>();
        if (!raw.rawQuery().isEmpty()) {
            for (String pair : raw.rawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
            }
        }
        List<String> ua = lower.get("user-agent");
        return new Request(raw, apiId, accountId, stage, routeKey, resourcePath, requestId, timeEpoch, raw.path(),
                headers, lower, cookies, query, pathParameters, stageVariables, ua == null ? "" : ua.getFirst());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Whether API Gateway passes the body as text: text types, JSON, XML and JavaScript; everything else is base64. */
    static boolean isText(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String ct = contentType.get().toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String type = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-javascript") || type.equals("application/ecmascript");
    }

    // ---- payload format 2.0 ----

    static byte[] v2(Request r, Optional<Map<String, Object>> authorizerContext) {
        return write(r.raw().body().length, g -> {
            g.writeStartObject();
            g.writeStringField("version", "2.0");
            g.writeStringField("routeKey", r.routeKey());
            g.writeStringField("rawPath", r.path());
            g.writeStringField("rawQueryString", r.raw().rawQuery());
            writeV2Common(g, r);
            g.writeObjectFieldStart("requestContext");
            writeV2Context(g, r);
            if (authorizerContext.isPresent()) {
                g.writeObjectFieldStart("authorizer");
                g.writeFieldName("lambda");
                writeValue(g, authorizerContext.get());
                g.writeEndObject();
            }
            g.writeEndObject();
            if (r.raw().body().length > 0) {
                boolean text = isText(r.header("content-type"));
                g.writeStringField("body", bodyText(r.raw().body(), text));
                g.writeBooleanField("isBase64Encoded", !text);
            } else {
                g.writeBooleanField("isBase64Encoded", false);
            }
            g.writeEndObject();
        });
    }

    /** cookies, headers, queryStringParameters, pathParameters, stageVariables: each only when it has something. */
    private static void writeV2Common(JsonGenerator g, Request r) throws IOException {
        if (!r.cookies().isEmpty()) {
            g.writeArrayFieldStart("cookies");
            for (String c : r.cookies()) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("headers");
        for (var e : r.lowerHeaders().entrySet()) {
            if (!e.getKey().equals("cookie")) {
                g.writeStringField(e.getKey(), String.join(",", e.getValue()));
            }
        }
        g.writeEndObject();
        if (!r.query().isEmpty()) {
            g.writeObjectFieldStart("queryStringParameters");
            for (var e : r.query().entrySet()) {
                g.writeStringField(e.getKey(), String.join(",", e.getValue()));
            }
            g.writeEndObject();
        }
        if (!r.pathParameters().isEmpty()) {
            writeStringMap(g, "pathParameters", r.pathParameters());
        }
        if (!r.stageVariables().isEmpty()) {
            writeStringMap(g, "stageVariables", r.stageVariables());
        }
    }

    private static void writeV2Context(JsonGenerator g, Request r) throws IOException {
        g.writeStringField("accountId", r.accountId());
        g.writeStringField("apiId", r.apiId());
        g.writeStringField("domainName", r.raw().domainName());
        g.writeStringField("domainPrefix", domainPrefix(r));
        g.writeObjectFieldStart("http");
        g.writeStringField("method", r.raw().method());
        g.writeStringField("path", r.path());
        g.writeStringField("protocol", r.raw().protocol());
        g.writeStringField("sourceIp", r.raw().sourceIp());
        g.writeStringField("userAgent", r.userAgent());
        g.writeEndObject();
        g.writeStringField("requestId", r.requestId());
        g.writeStringField("routeKey", r.routeKey());
        g.writeStringField("stage", r.stage());
        g.writeStringField("time", r.time());
        g.writeNumberField("timeEpoch", r.timeEpoch());
    }

    private static String domainPrefix(Request r) {
        String d = r.raw().domainName();
        int dot = d.indexOf('.');
        return dot < 0 ? d : d.substring(0, dot);
    }

    // ---- payload format 1.0 ----

    /**
     * @param authorizer the {@code requestContext.authorizer} members (context, principalId,
     *                   integrationLatency), or empty without an authorizer
     */
    static byte[] v1(Request r, Optional<Map<String, Object>> authorizer) {
        return write(r.raw().body().length, g -> {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeStringField("resource", r.resourcePath());
            g.writeStringField("path", r.path());
            g.writeStringField("httpMethod", r.raw().method());
            writeV1Common(g, r);
            g.writeObjectFieldStart("requestContext");
            writeV1Context(g, r);
            g.writeFieldName("authorizer");
            if (authorizer.isPresent()) {
                writeValue(g, authorizer.get());
            } else {
                // What API Gateway's 1.0 events of HTTP APIs carry on routes without an authorizer.
                g.writeStartObject();
                g.writeNullField("claims");
                g.writeNullField("scopes");
                g.writeEndObject();
            }
            g.writeEndObject();
            if (r.raw().body().length > 0) {
                boolean text = isText(r.header("content-type"));
                g.writeStringField("body", bodyText(r.raw().body(), text));
                g.writeBooleanField("isBase64Encoded", !text);
            } else {
                g.writeNullField("body");
                g.writeBooleanField("isBase64Encoded", false);
            }
            g.writeEndObject();
        });
    }

    /** headers and multiValueHeaders, the query string both ways, pathParameters and stageVariables (null when none). */
    private static void writeV1Common(JsonGenerator g, Request r) throws IOException {
        writeLastAndAll(g, "headers", "multiValueHeaders", r.headers());
        if (r.query().isEmpty()) {
            g.writeNullField("queryStringParameters");
            g.writeNullField("multiValueQueryStringParameters");
        } else {
            writeLastAndAll(g, "queryStringParameters", "multiValueQueryStringParameters", r.query());
        }
        if (r.pathParameters().isEmpty()) {
            g.writeNullField("pathParameters");
        } else {
            writeStringMap(g, "pathParameters", r.pathParameters());
        }
        if (r.stageVariables().isEmpty()) {
            g.writeNullField("stageVariables");
        } else {
            writeStringMap(g, "stageVariables", r.stageVariables());
        }
    }

    private static void writeV1Context(JsonGenerator g, Request r) throws IOException {
        g.writeStringField("accountId", r.accountId());
        g.writeStringField("apiId", r.apiId());
        g.writeStringField("domainName", r.raw().domainName());
        g.writeStringField("domainPrefix", domainPrefix(r));
        g.writeStringField("extendedRequestId", r.requestId());
        g.writeStringField("httpMethod", r.raw().method());
        g.writeObjectFieldStart("identity");
        for (String f : new String[]{"accessKey", "accountId", "caller", "cognitoAuthenticationProvider",
                "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"}) {
            g.writeNullField(f);
        }
        g.writeStringField("sourceIp", r.raw().sourceIp());
        g.writeNullField("user");
        g.writeStringField("userAgent", r.userAgent());
        g.writeNullField("userArn");
        g.writeEndObject();
        g.writeStringField("path", r.path());
        g.writeStringField("protocol", r.raw().protocol());
        g.writeStringField("requestId", r.requestId());
        g.writeStringField("requestTime", r.time());
        g.writeNumberField("requestTimeEpoch", r.timeEpoch());
        g.writeStringField("resourceId", r.routeKey());
        g.writeStringField("resourcePath", r.resourcePath());
        g.writeStringField("stage", r.stage());
    }

    // ---- authorizer events ----

    static byte[] authorizerV2(Request r, String routeArn, List<String> identity) {
        return write(0, g -> {
            g.writeStartObject();
            g.writeStringField("version", "2.0");
            g.writeStringField("type", "REQUEST");
            g.writeStringField("routeArn", routeArn);
            writeList(g, "identitySource", identity);
            g.writeStringField("routeKey", r.routeKey());
            g.writeStringField("rawPath", r.path());
            g.writeStringField("rawQueryString", r.raw().rawQuery());
            writeV2Common(g, r);
            g.writeObjectFieldStart("requestContext");
            writeV2Context(g, r);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    static byte[] authorizerV1(Request r, String methodArn, List<String> identity) {
        return write(0, g -> {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeStringField("type", "REQUEST");
            g.writeStringField("methodArn", methodArn);
            g.writeStringField("identitySource", String.join(",", identity));
            g.writeStringField("authorizationToken", String.join(",", identity));
            g.writeStringField("resource", r.resourcePath());
            g.writeStringField("path", r.path());
            g.writeStringField("httpMethod", r.raw().method());
            writeV1Common(g, r);
            g.writeObjectFieldStart("requestContext");
            writeV1Context(g, r);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    // ---- writing ----

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(int bodyLength, Body body) {
        var out = new ByteArrayOutputStream(1536 + bodyLength + bodyLength / 2);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String bodyText(byte[] body, boolean text) {
        return text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body);
    }

    /** Payload 1.0's pair of maps: the last value of each name, and all of them. */
    private static void writeLastAndAll(JsonGenerator g, String single, String multi, Map<String, List<String>> values)
            throws IOException {
        g.writeObjectFieldStart(single);
        for (var e : values.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue().getLast());
        }
        g.writeEndObject();
        g.writeObjectFieldStart(multi);
        for (var e : values.entrySet()) {
            writeList(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeStringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeList(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** A JSON value from an authorizer's context: maps, lists, strings, numbers, booleans, null. */
    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var e : ((Map<String, Object>) m).entrySet()) {
                    g.writeFieldName(e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case java.math.BigInteger b -> g.writeNumber(b);
            case java.math.BigDecimal b -> g.writeNumber(b);
            default -> g.writeString(v.toString());
        }
    }
}
