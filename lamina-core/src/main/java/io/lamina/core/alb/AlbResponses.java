package io.lamina.core.alb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a Lambda target's answer into the HTTP response ALB sends: {@code statusCode} (required),
 * {@code statusDescription}, {@code headers} (multi-value headers off) or {@code multiValueHeaders}
 * (on), {@code body} and {@code isBase64Encoded}. Anything else is malformed, which ALB answers with
 * 502; so is an answer over 1 MB.
 */
public final class AlbResponses {
    /** The largest response JSON a Lambda function may send an Application Load Balancer. */
    public static final int MAX_RESPONSE_BYTES = 1_048_576;
    private static final ObjectMapper JSON = new ObjectMapper();
    // Framing is the load balancer's business, not the function's.
    private static final Set<String> DROPPED = Set.of("content-length", "transfer-encoding", "connection");

    private AlbResponses() {
    }

    /** The reason a function's answer is not a usable ALB response. */
    public static final class MalformedResponseException extends RuntimeException {
        MalformedResponseException(String message) {
            super(message);
        }
    }

    public static AlbResponse parse(byte[] payload, boolean multiValue) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new MalformedResponseException("the response is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedResponseException("the response is not a JSON object");
        }
        JsonNode code = root.get("statusCode");
        if (code == null || !code.isIntegralNumber() || code.asInt() < 100 || code.asInt() > 599) {
            throw new MalformedResponseException("statusCode is missing or not an HTTP status code");
        }
        int status = code.asInt();
        String reason = text(root, "statusDescription").map(d -> d.startsWith(status + " ")
                ? d.substring(Integer.toString(status).length() + 1) : d).orElse(AlbErrors.reason(status));
        boolean base64 = false;
        JsonNode b64 = root.get("isBase64Encoded");
        if (b64 != null && !b64.isNull()) {
            if (!b64.isBoolean()) {
                throw new MalformedResponseException("isBase64Encoded is not a boolean");
            }
            base64 = b64.booleanValue();
        }
        byte[] body = new byte[0];
        Optional<String> text = text(root, "body");
        if (text.isPresent()) {
            try {
                body = base64 ? Base64.getDecoder().decode(text.get().replaceAll("\\s", "")) : text.get().getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedResponseException("body is not valid base64 although isBase64Encoded is true");
            }
        }
        var headers = new ArrayList<Map.Entry<String, String>>();
        JsonNode h = root.get(multiValue ? "multiValueHeaders" : "headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                throw new MalformedResponseException((multiValue ? "multiValueHeaders" : "headers") + " is not an object");
            }
            for (var e : h.properties()) {
                String name = e.getKey();
                if (DROPPED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                for (String v : values(e.getValue(), multiValue, name)) {
                    headers.add(Map.entry(name, v));
                }
            }
        }
        if (headers.stream().noneMatch(e -> e.getKey().equalsIgnoreCase("server"))) {
            headers.addFirst(Map.entry("Server", AlbErrors.SERVER));
        }
        return new AlbResponse(status, reason, headers, body);
    }

    private static List<String> values(JsonNode v, boolean multiValue, String name) {
        if (!multiValue) {
            if (!v.isTextual()) {
                throw new MalformedResponseException("the value of header " + name + " is not a string");
            }
            return List.of(v.textValue());
        }
        if (!v.isArray()) {
            throw new MalformedResponseException("the value of multi-value header " + name + " is not an array");
        }
        var out = new ArrayList<String>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new MalformedResponseException("a value of header " + name + " is not a string");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new MalformedResponseException(field + " is not a string");
        }
        return Optional.of(n.textValue());
    }
}
