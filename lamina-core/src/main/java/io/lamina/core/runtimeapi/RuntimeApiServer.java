package io.lamina.core.runtimeapi;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.ExecutionEnvironment;
import io.lamina.core.environment.RuntimeProtocolException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Runtime API ({@code 2018-06-01}) on a loopback port. One listener serves every execution
 * environment: each gets {@code AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>/<token>}, a secret path
 * prefix, so a runtime reaches only its own environment's invocations and there is no port range
 * to run out of. Each blocked {@code /next} costs a virtual thread.
 */
public final class RuntimeApiServer implements AutoCloseable {
    private final WebServer server;

    /** @param environments finds the environment a token names (see {@code EnvironmentManager#byToken}) */
    public RuntimeApiServer(Function<String, Optional<ExecutionEnvironment>> environments) {
        var http1 = io.helidon.webserver.http1.Http1Config.builder().validatePath(false).build();
        var trailerCapture = new TrailerCapture(http1);
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .backlog(4096)
                // A runtime may wait in /next for as long as its environment stays warm.
                .idleConnectionTimeout(Duration.ofDays(1))
                .maxPayloadSize(-1)
                // Without it an event larger than a TCP segment waits ~40 ms (Nagle against the runtime's delayed
                // ACK): a 45 KB event took 47 ms to invoke instead of 6 ms.
                .connectionOptions(o -> o.tcpNoDelay(true))
                // Paths are parsed by RuntimeApiRouter from the raw path; tokens and request ids are plain ASCII.
                .addProtocol(http1)
                // Ahead of the plain HTTP/1 selector: the same protocol, with request trailers taken out and kept
                // for the streaming response handler (Helidon rejects them; streaming runtimes report errors in them).
                .addConnectionSelector(trailerCapture)
                // Stopped by Lamina.close() after the environments are killed, never by Helidon's own JVM hook:
                // runtimes that lose the Runtime API first exit by themselves and orphan their children.
                .shutdownHook(false)
                .routing(HttpRouting.builder().any(new RuntimeApiRouter(environments, trailerCapture)))
                .build()
                .start();
    }

    /** {@code host:port}, the part of {@code AWS_LAMBDA_RUNTIME_API} before the token. */
    public String address() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    static void sendError(ServerResponse res, RuntimeProtocolException e) {
        sendError(res, e.status(), e.errorType(), e.getMessage());
    }

    static void sendError(ServerResponse res, int status, String type, String message) {
        res.status(Status.create(status));
        res.header("Content-Type", "application/json");
        res.send(("{\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"errorType\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8));
    }


    static void accepted(ServerResponse res) {
        res.status(Status.ACCEPTED_202);
        res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
        res.send(ACCEPTED_BODY);
    }

    private static final byte[] ACCEPTED_BODY = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
}
