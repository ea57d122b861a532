package io.lamina.core.httpapi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the HTTP API answers: status, headers (one entry per value) and body. */
public record GatewayResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    /** API Gateway's own answers: {@code {"message":"..."}} as JSON. */
    static GatewayResponse message(int status, String message, String requestId) {
        var headers = new ArrayList<Map.Entry<String, String>>(2);
        headers.add(Map.entry("Content-Type", "application/json"));
        headers.add(Map.entry("apigw-requestid", requestId));
        return new GatewayResponse(status, headers,
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static GatewayResponse notFound(String requestId) {
        return message(404, "Not Found", requestId);
    }

    static GatewayResponse internalError(String requestId) {
        return message(500, "Internal Server Error", requestId);
    }
}
