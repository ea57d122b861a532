package io.lamina.core.runtimeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.ServerRequest;

/**
 * Error documents as the caller sees them: a runtime's JSON error body passes through; a body
 * that is not a JSON object (allowed by the Runtime API) becomes {@code {"errorType":..}} with the
 * type from {@code Lambda-Runtime-Function-Error-Type}, as Lambda does.
 */
final class ErrorDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorDocuments() {
    }

    static byte[] normalize(byte[] body, ServerRequest req) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject()) {
                return body;
            }
        } catch (Exception e) {
            // not JSON: fall through
        }
        String type = req.headers().first(io.helidon.http.HeaderNames.create("Lambda-Runtime-Function-Error-Type"))
                .orElse("Runtime.Unknown");
        var doc = JSON.createObjectNode();
        doc.put("errorType", type);
        doc.put("errorMessage", "RequestId: Error: An error occurred; the runtime posted an error body that is not a JSON object");
        return doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
