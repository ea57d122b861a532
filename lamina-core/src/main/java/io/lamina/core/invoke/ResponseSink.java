package io.lamina.core.invoke;

import java.io.IOException;

/**
 * Where a streamed invocation's response goes as the function writes it (see
 * {@link Invoker#invokeStreaming}). Calls come from the thread reading the runtime's response, one at
 * a time and never after {@code invokeStreaming} returned; blocking in them slows the function down,
 * as a slow client does on AWS.
 */
public interface ResponseSink {

    /**
     * The function started its response: called once, before the first {@link #write}.
     *
     * @param executedVersion the function version that runs
     * @param requestId       the invocation's request id
     * @param contentType the content type of the function's stream ({@code application/octet-stream} unless
     *                    the function set one; {@code application/vnd.awslambda.http-integration-response}
     *                    when it wrote an HTTP prelude; {@code application/json} for a buffered response)
     */
    void begin(String contentType, String executedVersion, String requestId) throws IOException;

    /** The next bytes of the response, in order. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * A function that does not stream answered {@code payload} whole. By default it is one piece of
     * {@code application/json}; a caller whose rules differ for buffered answers (function URLs) takes it here.
     */
    default void buffered(byte[] payload, String executedVersion, String requestId) throws IOException {
        begin("application/json", executedVersion, requestId);
        write(payload, 0, payload.length);
    }
}
