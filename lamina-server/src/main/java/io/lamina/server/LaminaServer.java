package io.lamina.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.lamina.core.Lamina;
import io.lamina.core.LaminaConfig;
import io.lamina.server.api.LambdaApiHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A running Lamina node: the core plus the public HTTP port serving the AWS-compatible APIs. */
public final class LaminaServer implements AutoCloseable {
    private final Lamina lamina;
    private final WebServer server;

    private LaminaServer(Lamina lamina, WebServer server) {
        this.lamina = lamina;
        this.server = server;
    }

    public static LaminaServer start(LaminaConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static LaminaServer start(LaminaConfig config, Clock clock) {
        Lamina lamina = new Lamina(config, clock);
        try {
            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .backlog(8192)
                    .maxPayloadSize(-1)
                    .idleConnectionTimeout(Duration.ofMinutes(15))
                    .shutdownHook(false)
                    // The API routes by the raw path and decodes labels itself (bad escapes answer AWS's way).
                    .addProtocol(io.helidon.webserver.http1.Http1Config.builder().validatePath(false).build())
                    .routing(HttpRouting.builder().any(new Edge(frontDoors(lamina, clock), new LambdaApiHandler(lamina))))
                    .build()
                    .start();
            return new LaminaServer(lamina, server);
        } catch (RuntimeException e) {
            lamina.close();
            throw e;
        }
    }

    /** The entrances besides the Lambda API, in the order they are asked (see {@link FrontDoor}). */
    private static List<FrontDoor> frontDoors(Lamina lamina, Clock clock) {
        return List.of(new io.lamina.server.httpapi.ApiGatewayV2Door(lamina), new io.lamina.server.httpapi.HttpApiDoor(lamina, clock));
    }

    public int port() {
        return server.port();
    }

    /** The endpoint URL clients use, e.g. {@code http://127.0.0.1:9000}. */
    public String endpoint() {
        return "http://" + lamina.config().host() + ":" + port();
    }

    public Lamina core() {
        return lamina;
    }

    @Override
    public void close() {
        server.stop();
        lamina.close();
    }
}
