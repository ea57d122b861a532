package io.lamina.core.urls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the event a function URL sends: API Gateway's payload format 2.0 with the URL's sentinels
 * ({@code routeKey} and {@code stage} {@code $default}, {@code apiId} and {@code domainPrefix} the
 * url id, {@code accountId} {@code anonymous} for AuthType NONE, {@code authorizer.iam} for AWS_IAM).
 * Headers are lower-cased and repeated ones joined with commas; cookies move to {@code cookies};
 * bodies that are not text travel base64-encoded.
 */
public final class UrlEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private UrlEvents() {
    }

    /** Who signed an AWS_IAM request, as {@code requestContext.authorizer.iam} reports it. */
    public record Caller(String accessKey, String accountId, String userArn, String userId) {
    }

    /**
     * @param domainName the URL's host name ({@code <url-id>.lambda-url.<region>.localhost})
     * @param accountId  the function owner's account, reported for signed callers
     */
    public static byte[] build(UrlRequest req, String urlId, String domainName, String accountId,
                               Optional<Caller> caller, String requestId, Instant now) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", req.rawPath());
        e.put("rawQueryString", req.rawQuery());
        List<String> cookies = new ArrayList<>();
        var headers = new LinkedHashMap<String, String>();
        for (var h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String c : h.getValue().split(";")) {
                    if (!c.isBlank()) {
                        cookies.add(c.strip());
                    }
                }
                continue;
            }
            headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
        }
        if (!cookies.isEmpty()) {
            var arr = e.putArray("cookies");
            cookies.forEach(arr::add);
        }
        ObjectNode hs = e.putObject("headers");
        headers.forEach(hs::put);
        Map<String, String> query = query(req.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", caller.isPresent() ? accountId : "anonymous");
        ctx.put("apiId", urlId);
        caller.ifPresent(c -> {
            ObjectNode iam = ctx.putObject("authorizer").putObject("iam");
            iam.put("accessKey", c.accessKey());
            iam.put("accountId", c.accountId());
            iam.put("callerId", c.userId());
            iam.putNull("cognitoIdentity");
            iam.putNull("principalOrgId");
            iam.put("userArn", c.userArn());
            iam.put("userId", c.userId());
        });
        ctx.put("domainName", domainName);
        ctx.put("domainPrefix", urlId);
        ObjectNode http = ctx.putObject("http");
        http.put("method", req.method());
        http.put("path", decodePath(req.rawPath()));
        http.put("protocol", req.protocol());
        http.put("sourceIp", req.sourceIp());
        http.put("userAgent", req.header("user-agent").orElse(""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", "$default");
        ctx.put("stage", "$default");
        ctx.put("time", TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        if (req.body().length > 0) {
            boolean text = isText(req.header("content-type"));
            e.put("body", text ? new String(req.body(), StandardCharsets.UTF_8)
                    : java.util.Base64.getEncoder().encodeToString(req.body()));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        try {
            return JSON.writeValueAsBytes(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Decoded query parameters, a repeated name's values joined with commas (payload 2.0). */
    static Map<String, String> query(String raw) {
        var out = new LinkedHashMap<String, String>();
        if (raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    /**
     * Whether a body travels as text: text types, JSON, XML and JavaScript. Everything else, forms
     * and a body without a content type included, is base64-encoded, as AWS does.
     */
    static boolean isText(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String t = contentType.get().toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String mime = (semi < 0 ? t : t.substring(0, semi)).strip();
        return mime.startsWith("text/") || mime.endsWith("/json") || mime.endsWith("+json")
                || mime.endsWith("/xml") || mime.endsWith("+xml") || mime.equals("application/javascript");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape travels as sent
        }
    }

    private static String decodePath(String raw) {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
