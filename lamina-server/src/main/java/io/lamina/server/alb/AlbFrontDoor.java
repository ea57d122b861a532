package io.lamina.server.alb;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.alb.AlbErrors;
import io.lamina.core.alb.AlbTarget;
import io.lamina.core.alb.AlbTargets;
import io.lamina.server.FrontDoor;

import java.util.Optional;

/**
 * The ALB listeners on Lamina's main port as well: {@code /_alb/{targetGroupName}/path} forwards
 * {@code /path} to that target group; {@code GET /_lamina/alb} shows the target groups and their health.
 */
public final class AlbFrontDoor implements FrontDoor {
    static final String PREFIX = "/_alb/";
    static final String STATUS = "/_lamina/alb";
    private final AlbTargets targets;

    public AlbFrontDoor(AlbTargets targets) {
        this.targets = targets;
    }

    @Override
    public boolean claims(ServerRequest req) {
        String p = req.path().rawPath();
        return p.startsWith(PREFIX) || p.equals(STATUS);
    }

    @Override
    public void serve(ServerRequest req, ServerResponse res) {
        String p = req.path().rawPath();
        if (p.equals(STATUS)) {
            if (!"GET".equals(req.prologue().method().text())) {
                res.status(Status.METHOD_NOT_ALLOWED_405).send();
                return;
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(targets.statusJson());
            return;
        }
        int slash = p.indexOf('/', PREFIX.length());
        String name = slash < 0 ? p.substring(PREFIX.length()) : p.substring(PREFIX.length(), slash);
        Optional<AlbTarget> target = targets.byName(name);
        if (target.isEmpty()) {
            // No listener rule matches: what a load balancer without this target group answers.
            AlbHttp.send(res, AlbErrors.page(404));
            return;
        }
        AlbHttp.serve(target.get(), req, res, slash < 0 ? "/" : p.substring(slash), req.localPeer().port());
    }
}
