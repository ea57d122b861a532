package io.lamina.server.api;

import java.util.Map;

/** What an operation answers: status, body bytes (JSON unless said otherwise) and extra headers. */
record ApiReply(int status, byte[] body, Map<String, String> headers) {

    static ApiReply json(int status, String json) {
        return new ApiReply(status, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
    }

    static ApiReply noContent() {
        return new ApiReply(204, new byte[0], Map.of());
    }
}
