package io.lamina.server.streaming;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.invoke.InvokeStreamResult;
import io.lamina.core.invoke.ResponseSink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A streamed invocation's response written to an HTTP client as it comes (function URLs with
 * {@code InvokeMode: RESPONSE_STREAM}): with {@code Transfer-Encoding: chunked}, each piece the function
 * writes flushed at once. A stream of content type {@value HttpIntegrationPrelude#CONTENT_TYPE} starts with
 * the status, headers and cookies (see {@link HttpIntegrationPrelude}); any other stream is a 200 with the
 * stream's content type and the bytes as the body (a function that does not stream arrives as one piece of
 * {@code application/json}).
 *
 * <pre>{@code
 * var out = new StreamedHttpResponse(res, corsHeaders);
 * InvokeStreamResult r = lamina.invoker().invokeStreaming(request, out); // LambdaException: nothing was sent
 * if (!out.finish(r)) {
 *     // nothing was sent: the function failed before writing, or its prelude was malformed; answer the error
 * }
 * }</pre>
 */
public final class StreamedHttpResponse implements ResponseSink {
    private static final ConcurrentHashMap<String, HeaderName> NAMES = new ConcurrentHashMap<>();
    private final ServerResponse res;
    private final Map<String, String> extraHeaders;
    private HttpIntegrationPrelude.Splitter splitter;
    /** A plain stream's status and headers, sent with its first byte (so an error before it can still be answered). */
    private HttpIntegrationPrelude plain;
    private OutputStream out;
    private boolean malformed;

    /**
     * @param extraHeaders headers the front door adds to every answer (CORS, for example); the function's own
     *                     headers of the same name win
     */
    public StreamedHttpResponse(ServerResponse res, Map<String, String> extraHeaders) {
        this.res = res;
        this.extraHeaders = Map.copyOf(extraHeaders);
    }

    /** Whether the status line and headers have gone to the client. */
    public boolean started() {
        return out != null;
    }

    @Override
    public void begin(String contentType, String executedVersion, String requestId) throws IOException {
        if (HttpIntegrationPrelude.CONTENT_TYPE.equalsIgnoreCase(contentType.trim())) {
            splitter = new HttpIntegrationPrelude.Splitter();
        } else {
            plain = new HttpIntegrationPrelude(200, Map.of("Content-Type", contentType), List.of());
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (malformed || length == 0) {
            return;
        }
        if (out == null && plain != null) {
            start(plain);
        } else if (out == null) {
            Optional<HttpIntegrationPrelude.Splitter.Split> split;
            try {
                split = splitter.offer(bytes, offset, length);
            } catch (IllegalStateException e) {
                malformed = true;
                return;
            }
            if (split.isEmpty()) {
                return;
            }
            Optional<HttpIntegrationPrelude> prelude = HttpIntegrationPrelude.parse(split.get().prelude());
            if (prelude.isEmpty()) {
                malformed = true;
                return;
            }
            start(prelude.get());
            byte[] rest = split.get().bodyStart();
            if (rest.length > 0) {
                out.write(rest);
            }
            out.flush();
            return;
        }
        out.write(bytes, offset, length);
        out.flush();
    }

    /**
     * Ends the response. Returns false when nothing was sent: the invocation failed before the function wrote
     * a byte of body (or of its prelude), or the stream was not valid http-integration-response; the caller
     * then answers the error.
     * An error after the start only cuts the body short, as on AWS.
     */
    public boolean finish(InvokeStreamResult result) throws IOException {
        if (out == null) {
            boolean nothingWritten = splitter == null || splitter.heldBytes() == 0;
            if (malformed || result.error().isPresent() || !nothingWritten) {
                return false;
            }
            // the function ended without writing a byte: an empty 200
            start(plain != null ? plain : new HttpIntegrationPrelude(200, Map.of(), List.of()));
        }
        out.close();
        return true;
    }

    private void start(HttpIntegrationPrelude prelude) throws IOException {
        res.status(Status.create(prelude.statusCode()));
        extraHeaders.forEach((k, v) -> {
            if (prelude.headers().keySet().stream().noneMatch(k::equalsIgnoreCase)) {
                res.header(name(k), v);
            }
        });
        prelude.headers().forEach((k, v) -> res.header(name(k), v));
        if (!prelude.cookies().isEmpty()) {
            res.header(HeaderNames.SET_COOKIE, prelude.cookies().toArray(String[]::new));
        }
        out = res.outputStream();
        out.flush();
    }

    private static HeaderName name(String n) {
        return NAMES.computeIfAbsent(n, HeaderNames::create);
    }
}
