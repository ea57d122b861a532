package io.lamina.core.runtimeapi;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.environment.ExecutionEnvironment;
import io.lamina.core.environment.RuntimeProtocolException;

import java.util.Optional;
import java.util.function.Function;

/**
 * Routes {@code /<token>/2018-06-01/runtime/...} to the endpoint classes by reading the raw path
 * once: the Runtime API is on every invocation's path twice, and pattern-based routes cost regex
 * matching and a parameter map per request.
 */
final class RuntimeApiRouter implements Handler {
    private static final String VERSION = "/2018-06-01/runtime/";
    private static final String INVOCATION = "invocation/";
    private final Function<String, Optional<ExecutionEnvironment>> environments;
    private final NextHandler next = new NextHandler();
    private final ResponseHandler response;
    private final ErrorHandler error = new ErrorHandler();
    private final InitErrorHandler initError = new InitErrorHandler();

    /** One Runtime API endpoint, given the environment the token named and the request id in the path, if any. */
    interface Endpoint {
        void handle(ExecutionEnvironment env, String requestId, ServerRequest req, ServerResponse res) throws Exception;
    }

    RuntimeApiRouter(Function<String, Optional<ExecutionEnvironment>> environments, TrailerCapture trailerCapture) {
        this.environments = environments;
        this.response = new ResponseHandler(trailerCapture);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        String path = req.path().rawPath();
        String method = req.prologue().method().text();
        try {
            int v = path.indexOf(VERSION, 1);
            if (path.charAt(0) != '/' || v < 0) {
                unknown(res, path);
                return;
            }
            String token = path.substring(1, v);
            String rest = path.substring(v + VERSION.length());
            Endpoint endpoint;
            String requestId = null;
            boolean post = true;
            if (rest.equals("invocation/next")) {
                endpoint = next;
                post = false;
            } else if (rest.equals("init/error")) {
                endpoint = initError;
            } else if (rest.startsWith(INVOCATION) && rest.endsWith("/response")) {
                requestId = rest.substring(INVOCATION.length(), rest.length() - "/response".length());
                endpoint = response;
            } else if (rest.startsWith(INVOCATION) && rest.endsWith("/error")) {
                requestId = rest.substring(INVOCATION.length(), rest.length() - "/error".length());
                endpoint = error;
            } else {
                unknown(res, path);
                return;
            }
            if (!method.equals(post ? "POST" : "GET")) {
                RuntimeApiServer.sendError(res, 405, "MethodNotAllowed", "Method " + method + " is not allowed here");
                return;
            }
            if (token.isEmpty() || token.indexOf('/') >= 0 || (requestId != null && requestId.indexOf('/') >= 0)) {
                unknown(res, path);
                return;
            }
            ExecutionEnvironment env = environments.apply(token).orElseThrow(RuntimeProtocolException::unknownEnvironment);
            endpoint.handle(env, requestId, req, res);
        } catch (RuntimeProtocolException e) {
            RuntimeApiServer.sendError(res, e);
        }
    }

    private static void unknown(ServerResponse res, String path) {
        RuntimeApiServer.sendError(res, 404, "UnknownPath", "Unknown Runtime API path: " + path);
    }
}
