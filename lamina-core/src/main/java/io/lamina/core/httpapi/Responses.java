package io.lamina.core.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a function's answer into the HTTP response, by the rules of the integration's payload
 * format. Empty means the answer is malformed: API Gateway answers 500 then.
 */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    /**
     * Payload 2.0: an object with {@code statusCode} is a response ({@code headers}, {@code
     * multiValueHeaders}, {@code cookies}, {@code body}, {@code isBase64Encoded}); any other valid JSON
     * (a bare string, an object without statusCode...) is the body of a 200 {@code application/json} response.
     */
    static Optional<GatewayResponse> v2(byte[] payload, String requestId) {
        JsonNode n = parse(payload);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isObject() || !n.has("statusCode")) {
            var headers = new ArrayList<Map.Entry<String, String>>(2);
            headers.add(Map.entry("Content-Type", "application/json"));
            headers.add(Map.entry("apigw-requestid", requestId));
            return Optional.of(new GatewayResponse(200, headers, payload));
        }
        return structured(n, requestId, true);
    }

    /** Payload 1.0: the answer must be an object with an integer {@code statusCode}. */
    static Optional<GatewayResponse> v1(byte[] payload, String requestId) {
        JsonNode n = parse(payload);
        if (n == null || !n.isObject() || !n.has("statusCode")) {
            return Optional.empty();
        }
        return structured(n, requestId, false);
    }

    private static Optional<GatewayResponse> structured(JsonNode n, String requestId, boolean v2) {
        JsonNode status = n.get("statusCode");
        int code;
        if (status.isIntegralNumber()) {
            code = status.asInt();
        } else if (v2 && status.isTextual() && status.asText().matches("\\d{3}")) {
            code = Integer.parseInt(status.asText());
        } else {
            return Optional.empty();
        }
        if (code < 100 || code > 599) {
            return Optional.empty();
        }
        var headers = new ArrayList<Map.Entry<String, String>>();
        JsonNode h = n.path("headers");
        if (!h.isMissingNode() && !h.isNull()) {
            if (!h.isObject()) {
                return Optional.empty();
            }
            for (var it = h.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isValueNode()) {
                    return Optional.empty();
                }
                headers.add(Map.entry(e.getKey(), e.getValue().asText()));
            }
        }
        JsonNode mv = n.path("multiValueHeaders");
        if (!mv.isMissingNode() && !mv.isNull()) {
            if (!mv.isObject()) {
                return Optional.empty();
            }
            for (var it = mv.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isArray()) {
                    return Optional.empty();
                }
                // A name in both maps: multiValueHeaders wins, as on AWS.
                headers.removeIf(x -> x.getKey().equalsIgnoreCase(e.getKey()));
                for (JsonNode v : e.getValue()) {
                    headers.add(Map.entry(e.getKey(), v.asText()));
                }
            }
        }
        if (v2) {
            JsonNode cookies = n.path("cookies");
            if (!cookies.isMissingNode() && !cookies.isNull()) {
                if (!cookies.isArray()) {
                    return Optional.empty();
                }
                cookies.forEach(c -> headers.add(Map.entry("Set-Cookie", c.asText())));
            }
        }
        headers.add(Map.entry("apigw-requestid", requestId));
        JsonNode body = n.path("body");
        byte[] bytes;
        if (body.isMissingNode() || body.isNull()) {
            bytes = new byte[0];
        } else if (body.isTextual()) {
            if (n.path("isBase64Encoded").asBoolean(false)) {
                try {
                    bytes = Base64.getDecoder().decode(body.asText());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            } else {
                bytes = body.asText().getBytes(StandardCharsets.UTF_8);
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(new GatewayResponse(code, List.copyOf(headers), bytes));
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }
}
