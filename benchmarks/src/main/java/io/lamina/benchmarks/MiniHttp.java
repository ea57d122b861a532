package io.lamina.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection. The timed paths use it instead of
 * {@link java.net.http.HttpClient} so that the client's own cost (tens to hundreds of microseconds
 * per request on a loaded 2-core machine) stays out of sub-millisecond figures: a request is one
 * write, the response one buffered read. Not thread-safe: one instance per caller thread.
 */
final class MiniHttp implements Closeable {
    private final String host;
    private final int port;
    private final int timeoutMs;
    private Socket socket;
    private BufferedOutputStream out;
    private BufferedInputStream in;

    MiniHttp(URI endpoint, int timeoutMs) {
        this.host = endpoint.getHost();
        this.port = endpoint.getPort();
        this.timeoutMs = timeoutMs;
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Opens the connection now (a connect error surfaces here, e.g. while a server starts). */
    void connect() throws IOException {
        if (socket == null) {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMs);
                s.connect(new InetSocketAddress(host, port), timeoutMs);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        }
    }

    Response request(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(method, path, headers, body);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            // The server may have closed an idle keep-alive connection: one retry on a fresh one.
            return exchange(method, path, headers, body);
        }
    }

    private Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        connect();
        var sb = new StringBuilder(256);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return readResponse(method);
    }

    private Response readResponse(String method) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before the response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        String te = headers.getOrDefault("transfer-encoding", "");
        String cl = headers.get("content-length");
        if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked();
        } else if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl));
        } else {
            body = in.readAllBytes();
            close();
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Response(status, headers, body);
    }

    private byte[] readChunked() throws IOException {
        var buf = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return buf.toByteArray();
            }
            buf.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        var sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
            out = null;
            in = null;
        }
    }
}
