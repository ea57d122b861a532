package io.lamina.core.runtimeapi;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.EnvironmentManager;
import io.lamina.core.environment.ExecutionEnvironment;
import io.lamina.core.environment.Invocation;
import io.lamina.core.environment.ResponseStream;
import io.lamina.core.environment.RuntimeProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code POST /runtime/invocation/{id}/response} with {@code Lambda-Runtime-Function-Response-Mode: streaming}:
 * the body (chunked) is passed to the caller piece by piece as it arrives when the caller streams
 * (InvokeWithResponseStream, function URLs), or gathered into one response within the buffered limit
 * when it does not (Invoke). An error after the body started comes in the trailers
 * {@code Lambda-Runtime-Function-Error-Type} and {@code Lambda-Runtime-Function-Error-Body} (base64 of
 * the error document), read by {@link TrailerCapture} before the web server sees them.
 */
final class StreamingResponseHandler implements RuntimeApiRouter.Endpoint {
    private final TrailerCapture trailerCapture;

    StreamingResponseHandler(TrailerCapture trailerCapture) {
        this.trailerCapture = trailerCapture;
    }

    static final HeaderName RESPONSE_MODE = HeaderNames.create("Lambda-Runtime-Function-Response-Mode");
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int READ_SIZE = 64 * 1024;

    static boolean isStreaming(ServerRequest req) {
        return req.headers().first(RESPONSE_MODE).map(m -> m.trim().equalsIgnoreCase("streaming")).orElse(false);
    }

    @Override
    public void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception {
        Invocation inv = env.streamingResponse(requestId);
        Optional<ResponseStream> forward = inv.responseStream();
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(DEFAULT_CONTENT_TYPE);
        long limit = forward.isPresent() ? EnvironmentManager.MAX_STREAMED_RESPONSE_BYTES : EnvironmentManager.MAX_RESPONSE_BYTES;
        forward.ifPresent(s -> s.begin(contentType));
        ByteArrayOutputStream buffered = forward.isPresent() ? null : new ByteArrayOutputStream();
        long total = 0;
        byte[] buf = new byte[READ_SIZE];
        InputStream in = req.content().inputStream();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > limit) {
                    env.streamTooLarge(requestId, limit);
                    throw RuntimeProtocolException.tooLarge(limit);
                }
                if (buffered != null) {
                    buffered.write(buf, 0, n);
                } else {
                    forward.get().write(buf, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RuntimeProtocolException) {
                throw e;
            }
            // The body broke off: the runtime died or was killed (its invocation has usually failed already).
            failFromTrailers(env, requestId, trailerCapture.take(req.serverSocketId(), req.socketId()));
            try {
                RuntimeApiServer.sendError(res, 400, "InvalidRequest", "The response stream ended before its last chunk.");
            } catch (RuntimeException unsent) {
                // the connection is gone
            }
            return;
        }
        Optional<TrailerCapture.Trailers> trailers = trailerCapture.take(req.serverSocketId(), req.socketId());
        if (trailers.isPresent() && trailers.get().errorType().isPresent()) {
            failFromTrailers(env, requestId, trailers);
        } else if (buffered != null) {
            env.respond(requestId, buffered.toByteArray());
        } else {
            env.streamed(requestId);
        }
        RuntimeApiServer.accepted(res);
    }

    /** Fails the invocation with the error the trailers carry (or an unknown one); a dead environment ignores it. */
    private static void failFromTrailers(ExecutionEnvironment env, String requestId, Optional<TrailerCapture.Trailers> trailers) {
        String type = trailers.flatMap(TrailerCapture.Trailers::errorType).orElse("Runtime.Unknown");
        byte[] doc = trailers.flatMap(TrailerCapture.Trailers::errorBody).flatMap(StreamingResponseHandler::decode)
                .filter(StreamingResponseHandler::isJsonObject)
                .orElseGet(() -> ("{\"errorType\":\"" + escape(type) + "\",\"errorMessage\":\"The function's response stream ended with an error.\"}")
                        .getBytes(StandardCharsets.UTF_8));
        try {
            env.fail(requestId, doc);
        } catch (RuntimeProtocolException gone) {
            // already ended (timeout, crash): that outcome stands
        }
    }

    private static Optional<byte[]> decode(String b64) {
        try {
            return Optional.of(Base64.getDecoder().decode(b64.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isJsonObject(byte[] doc) {
        try {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(doc);
            return n != null && n.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
