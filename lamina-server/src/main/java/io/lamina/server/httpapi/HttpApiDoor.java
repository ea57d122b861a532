package io.lamina.server.httpapi;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.Lamina;
import io.lamina.core.http.RequestBodies;
import io.lamina.core.httpapi.GatewayRequest;
import io.lamina.core.httpapi.GatewayResponse;
import io.lamina.core.httpapi.HttpApiGateway;
import io.lamina.server.FrontDoor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data plane of HTTP APIs on Lamina's port: {@code /_api/{apiId}/...} (a named stage as the
 * next segment) and the host {@code {apiId}.execute-api.localhost}; both lead to {@link HttpApiGateway}.
 */
public final class HttpApiDoor implements FrontDoor {
    static final String PATH_PREFIX = "/_api/";
    private static final String HOST_MARK = ".execute-api.";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpApiDoor.class);
    private static final ConcurrentHashMap<String, HeaderName> NAMES = new ConcurrentHashMap<>();

    private final HttpApiGateway gateway;

    public HttpApiDoor(Lamina lamina, java.time.Clock clock) {
        this.gateway = new HttpApiGateway(lamina, clock);
    }

    @Override
    public boolean claims(ServerRequest req) {
        return req.path().rawPath().startsWith(PATH_PREFIX) || hostApiId(req) != null;
    }

    /** The API id of a request to {@code {apiId}.execute-api.*}, else null. */
    private static String hostApiId(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        int mark = host.indexOf(HOST_MARK);
        return mark > 0 ? host.substring(0, mark) : null;
    }

    @Override
    public void serve(ServerRequest req, ServerResponse res) {
        try {
            serveClaimed(req, res);
        } catch (IOException | RuntimeException e) {
            LOG.error("HTTP API request {} {} failed", req.prologue().method().text(), req.path().rawPath(), e);
            if (!res.isSent()) {
                res.status(Status.INTERNAL_SERVER_ERROR_500);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send("{\"message\":\"Internal Server Error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private void serveClaimed(ServerRequest req, ServerResponse res) throws IOException {
        String rawPath = req.path().rawPath();
        String apiId = hostApiId(req);
        String path;
        String domain;
        if (apiId != null) {
            path = rawPath;
            String host = req.headers().first(HeaderNames.HOST).orElse("");
            int colon = host.lastIndexOf(':');
            domain = colon > 0 ? host.substring(0, colon) : host;
        } else {
            int end = rawPath.indexOf('/', PATH_PREFIX.length());
            apiId = end < 0 ? rawPath.substring(PATH_PREFIX.length()) : rawPath.substring(PATH_PREFIX.length(), end);
            path = end < 0 ? "/" : rawPath.substring(end);
            domain = apiId + ".execute-api.localhost";
        }
        byte[] body = RequestBodies.read(req, HttpApiGateway.MAX_BODY);
        var headers = new ArrayList<Map.Entry<String, String>>(req.headers().size() + 3);
        String forwardedFor = null;
        for (Header h : req.headers()) {
            String name = h.name();
            if (name.equalsIgnoreCase("x-forwarded-for")) {
                forwardedFor = h.allValues().getFirst();
                continue;
            }
            for (String v : h.allValues()) {
                headers.add(Map.entry(name, v));
            }
        }
        String sourceIp = req.remotePeer().address() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : "127.0.0.1";
        // API Gateway tells the function where the request came from, as a load balancer does.
        headers.add(Map.entry("x-forwarded-for", forwardedFor == null ? sourceIp : forwardedFor + ", " + sourceIp));
        headers.add(Map.entry("x-forwarded-port", Integer.toString(req.localPeer().address() instanceof InetSocketAddress l ? l.getPort() : 80)));
        headers.add(Map.entry("x-forwarded-proto", req.isSecure() ? "https" : "http"));
        String query = req.query().rawValue();
        var request = new GatewayRequest(req.prologue().method().text(), path, query == null ? "" : query, headers, body,
                sourceIp, req.prologue().protocol() + "/" + req.prologue().protocolVersion(), domain);
        send(res, gateway.serve(apiId, request));
    }

    /** Header names functions answer with, made once; bounded, since a function may invent any number of them. */
    private static HeaderName name(String k) {
        HeaderName n = NAMES.get(k);
        if (n == null) {
            n = HeaderNames.create(k);
            if (NAMES.size() < 1024) {
                NAMES.put(k, n);
            }
        }
        return n;
    }

    private static void send(ServerResponse res, GatewayResponse r) {
        res.status(Status.create(r.status()));
        var grouped = new LinkedHashMap<String, List<String>>();
        for (var h : r.headers()) {
            grouped.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        grouped.forEach((k, v) -> res.header(name(k), v.toArray(String[]::new)));
        res.send(r.body());
    }
}
