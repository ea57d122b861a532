package io.lamina.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.invoke.InvokeStreamResult;
import io.lamina.core.invoke.ResponseSink;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * InvokeWithResponseStream's answer: 200 with the function's stream content type and
 * {@code X-Amz-Executed-Version}, then an {@code application/vnd.amazon.eventstream} body of
 * {@code PayloadChunk} events (one per piece the function wrote, flushed at once) closed by one
 * {@code InvokeComplete} event ({@code ErrorCode}, {@code ErrorDetails}, {@code LogResult}).
 */
final class EventStreamSink implements ResponseSink {
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private final ServerResponse res;
    private OutputStream out;

    EventStreamSink(ServerResponse res) {
        this.res = res;
    }

    boolean begun() {
        return out != null;
    }

    @Override
    public void begin(String contentType, String executedVersion, String requestId) throws IOException {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.create("X-Amz-Executed-Version"), executedVersion);
        res.header(HeaderNames.create("x-amzn-RequestId"), requestId);
        out = res.outputStream();
        out.flush();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        byte[] payload = offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
        out.write(event("PayloadChunk", "application/octet-stream", payload));
        out.flush();
    }

    /** Closes the stream with InvokeComplete; starts the response first if the function never wrote. */
    void complete(InvokeStreamResult r) throws IOException {
        if (out == null) {
            begin(DEFAULT_CONTENT_TYPE, r.executedVersion(), r.requestId());
        }
        ObjectNode complete = Render.JSON.createObjectNode();
        r.error().ifPresent(e -> {
            complete.put("ErrorCode", e.errorCode());
            complete.put("ErrorDetails", e.errorDetails());
        });
        r.logResult().ifPresent(l -> complete.put("LogResult", l));
        out.write(event("InvokeComplete", "application/json", complete.toString().getBytes(StandardCharsets.UTF_8)));
        out.close();
    }

    static byte[] event(String type, String contentType, byte[] payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString(contentType));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return new Message(headers, payload).toByteBuffer().array();
    }
}
