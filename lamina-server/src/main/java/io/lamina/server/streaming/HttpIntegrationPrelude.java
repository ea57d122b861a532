package io.lamina.server.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP part of a stream of content type {@code application/vnd.awslambda.http-integration-response}
 * (what {@code awslambda.HttpResponseStream.from(stream, metadata)} writes): a JSON object with
 * {@code statusCode}, {@code headers} and {@code cookies}, then eight NUL bytes, then the body.
 *
 * @param statusCode 200 unless the prelude says otherwise
 * @param headers    header values as the function gave them
 * @param cookies    one {@code Set-Cookie} value each
 */
public record HttpIntegrationPrelude(int statusCode, Map<String, String> headers, List<String> cookies) {
    public static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    /** The delimiter's length: eight NUL bytes (a JSON text cannot contain a raw NUL). */
    static final int DELIMITER_LENGTH = 8;
    /** How much a prelude may take before the stream is taken as malformed. */
    static final int MAX_PRELUDE_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public HttpIntegrationPrelude {
        headers = Map.copyOf(headers);
        cookies = List.copyOf(cookies);
    }

    /** The prelude {@code json} describes; empty when it is not a JSON object with a valid status code. */
    public static Optional<HttpIntegrationPrelude> parse(byte[] json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        int status = 200;
        JsonNode s = n.get("statusCode");
        if (s != null && !s.isNull()) {
            if (!s.canConvertToInt() || (!s.isIntegralNumber() && !s.isTextual())) {
                return Optional.empty();
            }
            status = s.isTextual() ? parseStatus(s.asText()) : s.asInt();
            if (status < 100 || status > 599) {
                return Optional.empty();
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = n.get("headers");
        if (h != null && h.isObject()) {
            h.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    headers.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                }
            });
        }
        List<String> cookies = new ArrayList<>();
        JsonNode c = n.get("cookies");
        if (c != null && c.isArray()) {
            c.forEach(v -> cookies.add(v.asText()));
        }
        return Optional.of(new HttpIntegrationPrelude(status, headers, cookies));
    }

    private static int parseStatus(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Gathers the start of a stream until the delimiter: {@link #offer} returns what follows the prelude
     * once it is complete.
     */
    static final class Splitter {
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private int zeros; // NUL bytes in a row at the end of what is held
        private boolean done;

        /** The prelude and the first body bytes, once the delimiter has been seen; empty while it has not. */
        record Split(byte[] prelude, byte[] bodyStart) {
        }

        /**
         * @throws IllegalStateException when the prelude grows past {@link #MAX_PRELUDE_BYTES} (not this format)
         */
        Optional<Split> offer(byte[] b, int off, int len) {
            if (done) {
                throw new IllegalStateException("the prelude is complete already");
            }
            for (int i = off; i < off + len; i++) {
                zeros = b[i] == 0 ? zeros + 1 : 0;
                if (zeros == DELIMITER_LENGTH) {
                    held.write(b, off, i + 1 - off);
                    byte[] all = held.toByteArray();
                    done = true;
                    return Optional.of(new Split(java.util.Arrays.copyOf(all, all.length - DELIMITER_LENGTH),
                            java.util.Arrays.copyOfRange(b, i + 1, off + len)));
                }
            }
            held.write(b, off, len);
            if (held.size() > MAX_PRELUDE_BYTES) {
                throw new IllegalStateException("no prelude delimiter within " + MAX_PRELUDE_BYTES + " bytes");
            }
            return Optional.empty();
        }

        /** Bytes held without a delimiter so far. */
        int heldBytes() {
            return held.size();
        }
    }
}
