package io.lamina.server.alb;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.alb.AlbErrors;
import io.lamina.core.alb.AlbRequest;
import io.lamina.core.alb.AlbResponse;
import io.lamina.core.alb.AlbTarget;
import io.lamina.core.http.RequestBodies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTTP edge of an ALB listener: reads the request as ALB forwards it, writes the target's answer. */
final class AlbHttp {
    private AlbHttp() {
    }

    /**
     * Serves one request to {@code target}.
     *
     * @param path the path the target sees (on Lamina's main port, the part after {@code /_alb/{name}})
     * @param port the port the client connected to ({@code x-forwarded-port})
     */
    static void serve(AlbTarget target, ServerRequest req, ServerResponse res, String path, int port) {
        if (req.headers().contains(HeaderNames.UPGRADE)) {
            send(res, AlbErrors.page(400)); // ALB rejects WebSocket upgrades to Lambda targets
            return;
        }
        byte[] body;
        try {
            body = RequestBodies.read(req, AlbTarget.MAX_REQUEST_BODY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        send(res, target.serve(new AlbRequest(req.prologue().method().text(), path, req.query().rawValue(),
                forwardedHeaders(req, port), body)).response());
    }

    /** The client's headers plus the ones ALB adds: {@code x-forwarded-for} (appended), {@code -port}, {@code -proto}. */
    private static List<Map.Entry<String, List<String>>> forwardedHeaders(ServerRequest req, int port) {
        var out = new ArrayList<Map.Entry<String, List<String>>>();
        String forwardedFor = null;
        for (Header h : req.headers()) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            switch (lower) {
                case "x-forwarded-port", "x-forwarded-proto" -> {
                }
                case "x-forwarded-for" -> forwardedFor = String.join(", ", h.allValues());
                default -> out.add(Map.entry(h.name(), h.allValues()));
            }
        }
        String client = req.remotePeer().host();
        out.add(Map.entry("x-forwarded-for", List.of(forwardedFor == null ? client : forwardedFor + ", " + client)));
        out.add(Map.entry("x-forwarded-port", List.of(Integer.toString(port))));
        out.add(Map.entry("x-forwarded-proto", List.of("http")));
        return out;
    }

    static void send(ServerResponse res, AlbResponse r) {
        String reason = r.reason();
        res.status(reason == null || reason.isEmpty() ? Status.create(r.status()) : Status.create(r.status(), reason));
        // A header the function sets twice (Set-Cookie with multi-value headers) goes out as two lines.
        var grouped = new LinkedHashMap<String, List<String>>();
        var names = new LinkedHashMap<String, String>();
        for (var h : r.headers()) {
            String key = h.getKey().toLowerCase(Locale.ROOT);
            names.putIfAbsent(key, h.getKey());
            grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(h.getValue());
        }
        grouped.forEach((key, values) -> res.headers().set(HeaderValues.create(names.get(key), values)));
        res.send(r.body());
    }
}
