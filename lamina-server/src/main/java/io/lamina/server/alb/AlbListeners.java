package io.lamina.server.alb;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.lamina.core.alb.AlbTarget;
import io.lamina.core.alb.AlbTargets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One HTTP server per configured ALB listener, each forwarding every request to its target group. */
public final class AlbListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlbListeners.class);
    private final List<WebServer> servers;

    private AlbListeners(List<WebServer> servers) {
        this.servers = servers;
    }

    public static AlbListeners start(AlbTargets targets, String host) {
        var servers = new ArrayList<WebServer>();
        try {
            for (AlbTarget t : targets.all()) {
                WebServer server = WebServer.builder()
                        .host(host)
                        .port(t.listener().port())
                        .backlog(1024)
                        .maxPayloadSize(-1)
                        .idleConnectionTimeout(Duration.ofMinutes(15))
                        .shutdownHook(false)
                        // The path goes to the function as received, escapes and all.
                        .addProtocol(io.helidon.webserver.http1.Http1Config.builder().validatePath(false).build())
                        .routing(HttpRouting.builder().any((req, res) ->
                                AlbHttp.serve(t, req, res, req.path().rawPath(), t.boundPort())))
                        .build()
                        .start();
                servers.add(server);
                t.bound(server.port());
                LOG.info("ALB listener http://{}:{} forwards to target group {} ({}) -> function {}", host,
                        server.port(), t.name(), t.arn(), t.listener().targetGroup().function());
            }
        } catch (RuntimeException e) {
            servers.forEach(WebServer::stop);
            throw e;
        }
        return new AlbListeners(List.copyOf(servers));
    }

    @Override
    public void close() {
        servers.forEach(WebServer::stop);
    }
}
