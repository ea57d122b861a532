package io.lamina.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hand-written Lambda Runtime API (2018-06-01) served under a secret path prefix, like Lamina serves it.
 * Tests queue invocations with {@link #invoke}; the runtime under test long-polls {@code /invocation/next}
 * and the posted responses / errors complete the returned futures.
 */
final class FakeRuntimeApi implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:my-function";

    /** What the runtime posted for one invocation (or for init). */
    record Posted(String kind, String path, Map<String, String> headers, String body, int remotePort,
                  long roundTripNanos) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private record Invocation(String requestId, byte[] body, Map<String, String> headers) {}

    private static final Invocation SHUTDOWN = new Invocation("", new byte[0], Map.of());

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final String prefix = "/env-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final BlockingDeque<Invocation> pending = new LinkedBlockingDeque<>();
    private final AtomicBoolean dropNextConnection = new AtomicBoolean();
    private final Map<String, CompletableFuture<Posted>> results = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final CompletableFuture<Posted> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> firstNextAt = new CompletableFuture<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<String> unexpectedRequests = new CopyOnWriteArrayList<>();
    private volatile boolean chunkedEvents;

    FakeRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The value for AWS_LAMBDA_RUNTIME_API: host:port plus the secret path prefix. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    String prefix() {
        return prefix;
    }

    /** Send /next bodies with chunked transfer encoding instead of a Content-Length. */
    void useChunkedEvents() {
        chunkedEvents = true;
    }

    /**
     * The next GET /invocation/next that picks up an invocation drops its connection instead of answering (like a
     * server closing an idle keep-alive connection); the invocation stays queued for the reconnected runtime.
     */
    void dropNextConnection() {
        dropNextConnection.set(true);
    }

    CompletableFuture<Posted> invoke(String eventJson) {
        return invoke(eventJson, Map.of());
    }

    /**
     * Queues one invocation. Standard headers (request id, deadline in 5 s, ARN, trace id, content type) are sent
     * unless {@code headers} overrides them; a null value in {@code headers} removes that header.
     */
    CompletableFuture<Posted> invoke(String eventJson, Map<String, String> headers) {
        String requestId = UUID.randomUUID().toString();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Lambda-Runtime-Aws-Request-Id", requestId);
        all.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 5_000));
        all.put("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        all.put("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        all.values().removeIf(v -> v == null);
        CompletableFuture<Posted> result = results.computeIfAbsent(requestId, k -> new CompletableFuture<>());
        pending.add(new Invocation(requestId, eventJson.getBytes(StandardCharsets.UTF_8), all));
        return result;
    }

    CompletableFuture<Posted> initError() {
        return initError;
    }

    /** System.nanoTime() at which the first GET /invocation/next arrived. */
    CompletableFuture<Long> firstNextAt() {
        return firstNextAt;
    }

    /** Remote ports of every TCP connection the runtime used. */
    Set<Integer> clientPorts() {
        return clientPorts;
    }

    List<String> unexpectedRequests() {
        return unexpectedRequests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String base = prefix + "/2018-06-01/runtime/";
            if (!path.startsWith(base)) {
                unexpected(exchange, method + " " + path);
                return;
            }
            String rest = path.substring(base.length());
            if (method.equals("GET") && rest.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && rest.equals("init/error")) {
                initError.complete(posted(exchange, "init-error", 0));
                respond(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && rest.startsWith("invocation/")
                    && (rest.endsWith("/response") || rest.endsWith("/error"))) {
                String kind = rest.endsWith("/response") ? "response" : "error";
                String requestId = rest.substring("invocation/".length(), rest.lastIndexOf('/'));
                Long sent = sentAt.get(requestId);
                Posted posted = posted(exchange, kind, sent == null ? 0 : System.nanoTime() - sent);
                CompletableFuture<Posted> future = results.get(requestId);
                if (future == null || future.isDone()) {
                    unexpected(exchange, method + " " + path + " (unknown or already answered invocation)");
                    return;
                }
                respond(exchange, 202, "{\"status\":\"OK\"}");
                future.complete(posted);
            } else {
                unexpected(exchange, method + " " + path);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstNextAt.complete(System.nanoTime());
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (invocation != SHUTDOWN && dropNextConnection.compareAndSet(true, false)) {
            pending.addFirst(invocation);
            exchange.getRequestBody().close();
            exchange.getResponseBody().close(); // no response: the server closes the connection
            return;
        }
        if (invocation == SHUTDOWN) {
            pending.add(SHUTDOWN);
            respond(exchange, 500, "shutting down");
            return;
        }
        invocation.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        sentAt.put(invocation.requestId(), System.nanoTime());
        exchange.sendResponseHeaders(200, chunkedEvents ? 0 : invocation.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (chunkedEvents && invocation.body().length > 1) {
                // two chunks, to exercise chunk reassembly
                int half = invocation.body().length / 2;
                out.write(invocation.body(), 0, half);
                out.flush();
                out.write(invocation.body(), half, invocation.body().length - half);
            } else {
                out.write(invocation.body());
            }
        }
    }

    private static Posted posted(HttpExchange exchange, String kind, long roundTripNanos) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        return new Posted(kind, exchange.getRequestURI().getRawPath(), headers, body,
                exchange.getRemoteAddress().getPort(), roundTripNanos);
    }

    private void unexpected(HttpExchange exchange, String what) throws IOException {
        unexpectedRequests.add(what);
        respond(exchange, 404, "{\"errorMessage\":\"not found\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        pending.add(SHUTDOWN);
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
