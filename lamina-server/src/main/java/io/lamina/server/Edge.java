package io.lamina.server;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/** The public port's single handler: the first front door that claims a request serves it. */
final class Edge implements Handler {
    private final List<FrontDoor> doors;
    private final Handler lambdaApi;

    Edge(List<FrontDoor> doors, Handler lambdaApi) {
        this.doors = List.copyOf(doors);
        this.lambdaApi = lambdaApi;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        for (FrontDoor door : doors) {
            if (door.claims(req)) {
                door.serve(req, res);
                return;
            }
        }
        lambdaApi.handle(req, res);
    }
}
