package io.lamina.runtimes;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Lambda Runtime API written byte by byte over plain sockets, for transport tests: a test scripts exactly what the
 * runtime receives (chunk framing, interim responses, responses split across reads, connections closed or reset),
 * which an HTTP server library does not allow. Served under a secret path prefix like {@link FakeRuntimeApi}.
 * Each GET /invocation/next waits for the next script queued with {@link #onNext}; POSTs are recorded and answered
 * with 202 unless {@link #onPost} says otherwise.
 */
final class RawRuntimeApi implements AutoCloseable {

    /** One request as the runtime sent it; connections are numbered from 1 in the order they were accepted. */
    record Request(int connection, String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server end of one connection. */
    interface Wire {
        void send(byte[] bytes) throws IOException;

        /** Sends {@code bytes} in pieces of {@code pieceSize} with a pause after each, so the runtime reads them split. */
        void dribble(byte[] bytes, int pieceSize, long pauseMillis) throws IOException, InterruptedException;

        /** Closes the connection (FIN). */
        void close() throws IOException;

        /** Aborts the connection (RST). */
        void reset() throws IOException;
    }

    @FunctionalInterface
    interface Script {
        void run(Request request, Wire wire) throws Exception;
    }

    private final ServerSocket server;
    private final String prefix = "/raw-" + Long.toHexString(System.nanoTime());
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Script> nextScripts = new LinkedBlockingQueue<>();
    private final BlockingQueue<Request> posts = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Script onPost = (request, wire) ->
            wire.send(response(202, Map.of("Content-Type", "application/json"), "{\"status\":\"OK\"}"));

    RawRuntimeApi() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        executor.execute(this::acceptLoop);
    }

    /** The value for AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort() + prefix;
    }

    String runtimePath(String rest) {
        return prefix + "/2018-06-01/runtime" + rest;
    }

    /** Queues the answer to one GET /invocation/next. */
    RawRuntimeApi onNext(Script script) {
        nextScripts.add(script);
        return this;
    }

    /** How POSTs are answered from now on. */
    void onPost(Script script) {
        onPost = script;
    }

    /** The next POST the runtime made (in arrival order). */
    Request awaitPost() throws InterruptedException {
        Request request = posts.poll(BootstrapTestSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) throw new AssertionError("no POST from the runtime; requests so far: " + requests);
        return request;
    }

    /** A snapshot of every request so far, in arrival order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            int id = connections.incrementAndGet();
            sockets.add(socket);
            try {
                executor.execute(() -> serve(socket, id));
            } catch (RejectedExecutionException e) { // closing
                closeQuietly(socket);
                return;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void serve(Socket socket, int id) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            SocketWire wire = new SocketWire(socket);
            while (!wire.closed) {
                Request request = readRequest(in, id);
                if (request == null) return;
                requests.add(request);
                if (request.method().equals("GET") && request.target().equals(runtimePath("/invocation/next"))) {
                    nextScripts.take().run(request, wire);
                } else if (request.method().equals("POST")) {
                    posts.add(request);
                    onPost.run(request, wire);
                } else {
                    wire.send(response(404, Map.of(), "{\"errorMessage\":\"not found\"}"));
                }
            }
        } catch (Exception e) {
            // the connection is over
        }
    }

    private static Request readRequest(InputStream in, int connection) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].equals("HTTP/1.1")) throw new IOException("bad request line " + requestLine);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) throw new IOException("unexpected chunked request");
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        if (length != null && body.length != Integer.parseInt(length)) throw new EOFException();
        return new Request(connection, parts[0], parts[1], headers, body);
    }

    /** A CRLF-terminated line as latin1, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    private static final class SocketWire implements Wire {
        private final Socket socket;
        private final OutputStream out;
        volatile boolean closed;

        SocketWire(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void dribble(byte[] bytes, int pieceSize, long pauseMillis) throws IOException, InterruptedException {
            for (int i = 0; i < bytes.length; i += pieceSize) {
                out.write(bytes, i, Math.min(pieceSize, bytes.length - i));
                out.flush();
                Thread.sleep(pauseMillis);
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            socket.close();
        }

        @Override
        public void reset() throws IOException {
            closed = true;
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ responses

    static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    /** Status line and header lines (latin1) up to and including the empty line; no framing headers added. */
    static byte[] head(int status, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Whatever")
                .append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return latin1(head.append("\r\n").toString());
    }

    /** A complete response with a Content-Length body. */
    static byte[] response(int status, Map<String, String> headers, String body) {
        byte[] bytes = utf8(body);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Length", Integer.toString(bytes.length));
        return concat(head(status, all), bytes);
    }

    /** The usual invocation headers (request id, deadline in 5 s, ARN, trace id, content type). */
    static Map<String, String> invocationHeaders(String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Lambda-Runtime-Aws-Request-Id", requestId);
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 5_000));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", FakeRuntimeApi.FUNCTION_ARN);
        headers.put("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        headers.put("Content-Type", "application/json");
        return headers;
    }

    /** A /next answer with a Content-Length body. */
    static byte[] invocation(String requestId, String event) {
        return response(200, invocationHeaders(requestId), event);
    }

    /**
     * A chunked body: {@code body} cut into chunks of the given sizes (cycled), every other chunk-size line with a
     * chunk extension, then the last chunk and a trailer.
     */
    static byte[] chunked(byte[] body, int... sizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        for (int i = 0; i < body.length; n++) {
            int size = Math.min(sizes[n % sizes.length], body.length - i);
            out.writeBytes(latin1(Integer.toHexString(size) + (n % 2 == 0 ? ";ext=\"v\"" : "") + "\r\n"));
            out.writeBytes(Arrays.copyOfRange(body, i, i + size));
            out.writeBytes(latin1("\r\n"));
            i += size;
        }
        out.writeBytes(latin1("0\r\nX-Trailer: done\r\n\r\n"));
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        executor.shutdownNow();
        sockets.forEach(RawRuntimeApi::closeQuietly);
    }
}
