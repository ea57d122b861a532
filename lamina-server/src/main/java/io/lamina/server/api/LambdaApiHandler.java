package io.lamina.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.apimodel.BindException;
import io.lamina.apimodel.BoundInput;
import io.lamina.apimodel.LambdaApiModel;
import io.lamina.apimodel.Routing;
import io.lamina.core.Lamina;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.http.RequestBodies;
import io.lamina.core.http.ResponseBodies;
import io.lamina.core.invoke.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The public edge of the Lambda API: route by the service model, bind and validate the input,
 * run the operation, render the answer or AWS's error. Every request ends in a well-formed AWS
 * response; an unexpected failure is a 500 {@code ServiceException} with no internals in it.
 */
public final class LambdaApiHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaApiHandler.class);
    /** AWS's request size limit for CreateFunction / UpdateFunctionCode (base64 zip in JSON). */
    static final long MAX_CODE_REQUEST_BYTES = 70_167_211L;
    /** Every other operation, Invoke included (its payload limit is 6 MB). */
    static final long MAX_OTHER_REQUEST_BYTES = 6_291_456L;

    private final LambdaApiModel model = LambdaApiModel.load();
    private final Operations operations;
    private final InvokeWithResponseStream responseStreaming;
    private final Lamina lamina;

    public LambdaApiHandler(Lamina lamina) {
        this.lamina = lamina;
        this.operations = new Operations(lamina);
        this.responseStreaming = new InvokeWithResponseStream(lamina);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.next();
        ApiReply reply;
        try {
            reply = dispatch(req, res);
            if (reply == null) {
                return; // the operation answered progressively by itself
            }
        } catch (LambdaException e) {
            reply = error(e.type().name(), e.type().status(), e.getMessage(), e.type().messageKey(), e.typeField(),
                    e.extraFields());
        } catch (BindException e) {
            reply = error(e.errorCode(), e.httpStatus(), e.getMessage(), "message",
                    !BindException.SERIALIZATION.equals(e.errorCode()), Map.of());
        } catch (RuntimeException | IOException e) {
            LOG.error("request {} {} failed", req.prologue().method().text(), req.path().rawPath(), e);
            reply = error(ErrorType.ServiceException.name(), 500, "Lamina failed to process the request (request id "
                    + requestId + "); see the server log.", "Message", true, Map.of());
        }
        send(res, reply, requestId);
    }

    /** The operation's reply, or null when the operation wrote the response itself. */
    private ApiReply dispatch(ServerRequest req, ServerResponse res) throws IOException {
        String method = req.prologue().method().text();
        String rawPath = req.path().rawPath();
        if (rawPath.startsWith("/_lamina/")) {
            return internal(method, rawPath);
        }
        var fast = InvokeFastPath.recognise(req, method, rawPath);
        if (fast.isPresent()) {
            byte[] payload = RequestBodies.read(req, InvokeFastPath.MAX_BODY);
            if (payload.length <= InvokeFastPath.MAX_BODY) {
                return Operations.invokeReply(lamina.invoker().invoke(InvokeFastPath.withPayload(fast.get(), payload)));
            }
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Request must be smaller than " + InvokeFastPath.MAX_BODY + " bytes for the InvokeFunction operation");
        }
        Routing routing = model.route(method, rawPath);
        if (routing instanceof Routing.NotFound) {
            return error("UnknownOperationException", 404, "Unknown operation: " + method + " " + rawPath, "message",
                    false, Map.of());
        }
        if (routing instanceof Routing.MethodNotAllowed na) {
            ApiReply r = error("MethodNotAllowedException", 405, "Method " + method + " is not allowed on " + rawPath,
                    "message", false, Map.of());
            var headers = new java.util.HashMap<>(r.headers());
            headers.put("Allow", String.join(", ", na.allowedMethods()));
            return new ApiReply(r.status(), r.body(), headers);
        }
        var match = ((Routing.Matched) routing).match();
        String op = match.operation().name();
        checkContentType(req, op);
        long limit = switch (op) {
            case "CreateFunction", "UpdateFunctionCode" -> MAX_CODE_REQUEST_BYTES;
            default -> MAX_OTHER_REQUEST_BYTES;
        };
        byte[] body = RequestBodies.read(req, limit);
        if (body.length > limit) {
            String opName = op.equals("Invoke") ? "InvokeFunction" : op;
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Request must be smaller than " + limit + " bytes for the " + opName + " operation");
        }
        BoundInput bound = model.bind(match, LambdaApiModel.parseQuery(req.query().rawValue()),
                name -> req.headers().first(HeaderNames.create(name)), body);
        Optional<String> invalid = model.validate(bound.operation(), bound.input());
        if (invalid.isPresent()) {
            throw LambdaException.validation(invalid.get());
        }
        if (op.equals("InvokeWithResponseStream")) {
            responseStreaming.serve(new Operations.Call(new Input(bound.input()), bound.payload(), "",
                    req.headers().first(InvokeFastPath.TRACE_ID)), res);
            return null;
        }
        var handler = operations.find(op).orElseThrow(() -> new LambdaException(ErrorType.UnknownOperationException,
                "Lamina does not implement " + op + " yet."));
        String host = req.headers().first(HeaderNames.HOST).orElse(lamina.config().host() + ":" + lamina.config().port());
        return handler.apply(new Operations.Call(new Input(bound.input()), bound.payload(), "http://" + host,
                req.headers().first(InvokeFastPath.TRACE_ID)));
    }

    /** Lamina's own paths: the code download URL GetFunction hands out, and a health check. */
    private ApiReply internal(String method, String rawPath) {
        if ("GET".equals(method) && rawPath.matches("/_lamina/code/[0-9a-f]{64}\\.zip")) {
            String key = rawPath.substring("/_lamina/code/".length(), rawPath.length() - 4);
            if (lamina.code().contains(key)) {
                return new ApiReply(200, lamina.code().read(key), Map.of("Content-Type", "application/zip"));
            }
        }
        if ("GET".equals(method) && rawPath.equals("/_lamina/async")) {
            return ApiReply.json(200, Render.asyncStatus(lamina.asyncQueue().status()));
        }
        if ("GET".equals(method) && rawPath.equals("/_lamina/health")) {
            return ApiReply.json(200, "{\"status\":\"UP\"}");
        }
        return error("ResourceNotFoundException", 404, "The resource you requested does not exist.", "Message", true, Map.of());
    }

    private static void checkContentType(ServerRequest req, String op) {
        Optional<String> ct = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (ct.isEmpty() || op.startsWith("Invoke")) {
            return; // Invoke's payload is whatever the caller sends; it is checked as JSON later
        }
        String type = ct.get().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
            throw new LambdaException(ErrorType.UnsupportedMediaTypeException,
                    "The content type " + ct.get() + " is not supported; send application/json.");
        }
    }

    static ApiReply error(String type, int status, String message, String messageKey, boolean userType,
                          Map<String, String> extra) {
        ObjectNode body = Render.JSON.createObjectNode();
        if (userType) {
            body.put("Type", "User");
        }
        if (message != null) {
            body.put(messageKey, message); // AWS's AccessDeniedException for another account has none
        }
        extra.forEach(body::put);
        return new ApiReply(status, body.toString().getBytes(StandardCharsets.UTF_8), Map.of("x-amzn-ErrorType", type));
    }

    private static final io.helidon.http.HeaderName REQUEST_ID = io.helidon.http.HeaderNames.create("x-amzn-RequestId");
    private static final java.util.concurrent.ConcurrentHashMap<String, io.helidon.http.HeaderName> NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void send(ServerResponse res, ApiReply reply, String requestId) {
        res.status(Status.create(reply.status()));
        res.header(REQUEST_ID, reply.headers().getOrDefault("x-amzn-RequestId", requestId));
        reply.headers().forEach((k, v) -> {
            if (!k.equals("x-amzn-RequestId")) {
                res.header(NAMES.computeIfAbsent(k, io.helidon.http.HeaderNames::create), v);
            }
        });
        if (!reply.headers().containsKey("Content-Type")) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
        }
        ResponseBodies.send(res, reply.body());
    }
}
