package io.lamina.core.http;

import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/** Reads request bodies with a size limit, for both of Lamina's HTTP listeners. */
public final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * The body, or the first {@code limit + 1} bytes of it when it is larger (the caller answers
     * "too large"; the rest is drained so the connection stays usable).
     */
    public static byte[] read(ServerRequest req, long limit) throws IOException {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        var length = req.headers().contentLength();
        try (InputStream in = req.content().inputStream()) {
            if (length.isPresent() && length.getAsLong() <= limit) {
                // The usual case: the sender said how much it sends; read exactly that into one array.
                byte[] body = new byte[(int) length.getAsLong()];
                int n = in.readNBytes(body, 0, body.length);
                return n == body.length ? body : Arrays.copyOf(body, n);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return body;
        }
    }
}
