package io.lamina.core.urls;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns a function's result into the URL's HTTP response with payload format 2.0's rules: an object
 * with {@code statusCode} is a response description ({@code headers}, {@code cookies}, {@code body},
 * {@code isBase64Encoded}); any other JSON value is the body of a 200 {@code application/json}
 * response (a string as its text, anything else re-serialised compactly, as AWS does).
 */
public final class UrlResponses {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final String JSON_TYPE = "application/json";

    private UrlResponses() {
    }

    /** The function answered something the URL cannot turn into a response (AWS: 502). */
    public static final class MalformedResponseException extends RuntimeException {
        MalformedResponseException(String why) {
            super(why, null, false, false);
        }
    }

    public static UrlResponse fromPayload(byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new MalformedResponseException("the function's result is not JSON");
        }
        if (n == null || n.isMissingNode()) {
            return plain(new byte[0]);
        }
        if (n.isObject() && n.has("statusCode")) {
            return described(n);
        }
        byte[] body = n.isTextual() ? n.asText().getBytes(StandardCharsets.UTF_8) : compact(n);
        return plain(body);
    }

    private static UrlResponse plain(byte[] body) {
        return new UrlResponse(200, List.of(Map.entry("Content-Type", JSON_TYPE)), List.of(), body);
    }

    private static UrlResponse described(JsonNode n) {
        int status = status(n.get("statusCode"));
        var headers = new ArrayList<Map.Entry<String, String>>();
        boolean contentType = false;
        JsonNode hs = n.path("headers");
        if (hs.isObject()) {
            for (var it = hs.properties().iterator(); it.hasNext(); ) {
                var h = it.next();
                if (h.getValue().isNull()) {
                    continue;
                }
                contentType |= h.getKey().equalsIgnoreCase("content-type");
                headers.add(Map.entry(h.getKey(), h.getValue().isValueNode() ? h.getValue().asText()
                        : h.getValue().toString()));
            }
        } else if (!hs.isMissingNode() && !hs.isNull()) {
            throw new MalformedResponseException("headers is not an object");
        }
        if (!contentType) {
            headers.addFirst(Map.entry("Content-Type", JSON_TYPE));
        }
        var cookies = new ArrayList<String>();
        JsonNode cs = n.path("cookies");
        if (cs.isArray()) {
            cs.forEach(c -> cookies.add(c.asText()));
        } else if (!cs.isMissingNode() && !cs.isNull()) {
            throw new MalformedResponseException("cookies is not a list");
        }
        JsonNode b = n.path("body");
        byte[] body;
        if (b.isMissingNode() || b.isNull()) {
            body = new byte[0];
        } else if (b.isTextual()) {
            if (n.path("isBase64Encoded").asBoolean(false)) {
                try {
                    body = Base64.getMimeDecoder().decode(b.asText());
                } catch (IllegalArgumentException e) {
                    throw new MalformedResponseException("body is not base64 although isBase64Encoded is true");
                }
            } else {
                body = b.asText().getBytes(StandardCharsets.UTF_8);
            }
        } else {
            body = compact(b);
        }
        return new UrlResponse(status, headers, cookies, body);
    }

    private static int status(JsonNode s) {
        int code;
        if (s.isIntegralNumber()) {
            code = s.asInt();
        } else if (s.isTextual() && s.asText().matches("\\d{3}")) {
            code = Integer.parseInt(s.asText());
        } else {
            throw new MalformedResponseException("statusCode is not an HTTP status: " + s);
        }
        if (code < 100 || code > 599) {
            throw new MalformedResponseException("statusCode is not an HTTP status: " + code);
        }
        return code;
    }

    private static byte[] compact(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
