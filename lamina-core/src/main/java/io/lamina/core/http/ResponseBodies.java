package io.lamina.core.http;

import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Sends response bodies, for both of Lamina's HTTP listeners. */
public final class ResponseBodies {
    /**
     * From this size a body is written to the connection as it is. Helidon's {@code send(byte[])} copies a
     * body into one buffer with the response head, sized for a head of 256 bytes; Lamina's heads are longer
     * (ARNs, trace ids), so the buffer grows and the body is copied twice. Below this size one write of head
     * and body together is worth those copies.
     */
    static final int DIRECT_FROM = 16 * 1024;

    private ResponseBodies() {
    }

    /** Sends {@code body} with the headers set so far and a Content-Length, copying a large body nowhere. */
    public static void send(ServerResponse res, byte[] body) {
        if (body.length < DIRECT_FROM) {
            res.send(body);
            return;
        }
        res.headers().contentLength(body.length);
        try (OutputStream out = res.outputStream()) {
            // The first byte is buffered and goes out with the head; the rest is then larger than the
            // stream's buffer, so it is handed to the connection as the array it is.
            out.write(body, 0, 1);
            out.write(body, 1, body.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
