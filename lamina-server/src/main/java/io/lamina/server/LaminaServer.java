package io.lamina.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.lamina.core.Lamina;
import io.lamina.core.LaminaConfig;
import io.lamina.server.alb.AlbFrontDoor;
import io.lamina.server.alb.AlbListeners;
import io.lamina.server.httpapi.ApiGatewayV2Door;
import io.lamina.server.httpapi.HttpApiDoor;
import io.lamina.server.urls.UrlFrontDoor;
import io.lamina.server.api.LambdaApiHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A running Lamina node: the core plus the public HTTP port serving the AWS-compatible APIs. */
public final class LaminaServer implements AutoCloseable {
    private final Lamina lamina;
    private final WebServer server;
    private final AlbListeners albListeners;

    private LaminaServer(Lamina lamina, WebServer server, AlbListeners albListeners) {
        this.lamina = lamina;
        this.server = server;
        this.albListeners = albListeners;
    }

    public static LaminaServer start(LaminaConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static LaminaServer start(LaminaConfig config, Clock clock) {
        Lamina lamina = new Lamina(config, clock);
        AlbListeners albs = null;
        try {
            albs = AlbListeners.start(lamina.albTargets(), config.host());
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
            return new LaminaServer(lamina, server, albs);
        } catch (RuntimeException e) {
            if (albs != null) {
                albs.close();
            }
            lamina.close();
            throw e;
        }
    }

    /** The entrances besides the Lambda API, in the order they are asked (see {@link FrontDoor}). */
    private static List<FrontDoor> frontDoors(Lamina lamina, Clock clock) {
        return List.of(new HttpApiDoor(lamina, clock), new ApiGatewayV2Door(lamina), new UrlFrontDoor(lamina),
                new AlbFrontDoor(lamina.albTargets()));
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
        albListeners.close();
        server.stop();
        lamina.close();
    }
}
