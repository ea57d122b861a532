package io.lamina.server.urls;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.Lamina;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.http.RequestBodies;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.invoke.InvokeStreamResult;
import io.lamina.core.invoke.ResponseSink;
import io.lamina.core.invoke.RequestIds;
import io.lamina.core.permissions.AccessRequest;
import io.lamina.core.permissions.Decision;
import io.lamina.core.permissions.Principal;
import io.lamina.core.urls.CorsHeaders;
import io.lamina.core.urls.SigV4Verifier;
import io.lamina.core.urls.SigningCredential;
import io.lamina.core.urls.UrlConfig;
import io.lamina.core.urls.UrlEvents;
import io.lamina.core.urls.UrlRequest;
import io.lamina.core.urls.UrlResponse;
import io.lamina.core.urls.UrlResponses;
import io.lamina.server.FrontDoor;
import io.lamina.server.streaming.StreamedHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Function URLs on Lamina's public port, reachable two ways: by host,
 * {@code http://<url-id>.lambda-url.<region>.localhost:<port>/path} (the {@code FunctionUrl} the API
 * hands out; curl and browsers resolve {@code *.localhost} to loopback), and by path,
 * {@code http://127.0.0.1:<port>/_url/<url-id>/path} for clients that do not. A request goes through:
 * the URL's lookup (unknown: 403 {@code {"Message":null}}), CORS preflight (answered here), AuthType
 * (NONE: the resource policy must grant {@code lambda:InvokeFunctionUrl} to everyone; AWS_IAM: a valid
 * SigV4 signature of a configured credential, and a policy statement for another account's identity),
 * then the invocation and payload 2.0's response rules. Denials are logged with their reason.
 */
public final class UrlFrontDoor implements FrontDoor {
    private static final Logger LOG = LoggerFactory.getLogger(UrlFrontDoor.class);
    static final String PATH_PREFIX = "/_url/";
    private static final String HOST_MARK = ".lambda-url.";
    static final String FORBIDDEN = "Forbidden. For troubleshooting Function URL authorization issues, see: "
            + "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";
    /** The most a URL reads of a request body: Invoke's synchronous payload limit. */
    static final long MAX_BODY = 6_291_456L;
    private static final HeaderName REQUEST_ID = HeaderNames.create("x-amzn-RequestId");
    private static final HeaderName ERROR_TYPE = HeaderNames.create("x-amzn-ErrorType");
    private static final HeaderName TRACE_ID = HeaderNames.create("X-Amzn-Trace-Id");
    private static final Map<String, HeaderName> NAMES = new ConcurrentHashMap<>();
    /** Connection-level headers the front end consumes; the function never sees them (nor does it on AWS). */
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "keep-alive",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    private final Lamina lamina;
    private final SigV4Verifier verifier;
    private final Clock clock;

    public UrlFrontDoor(Lamina lamina) {
        this(lamina, Clock.systemUTC());
    }

    /** {@code clock}: for event times and the signature's clock skew. */
    UrlFrontDoor(Lamina lamina, Clock clock) {
        this.lamina = lamina;
        this.clock = clock;
        Map<String, SigningCredential> keys = lamina.config().sources().credentials().stream()
                .collect(Collectors.toUnmodifiableMap(SigningCredential::accessKeyId, Function.identity(), (a, b) -> b));
        this.verifier = new SigV4Verifier(lamina.config().region(), k -> Optional.ofNullable(keys.get(k)), clock);
    }

    @Override
    public boolean claims(ServerRequest req) {
        return req.path().rawPath().startsWith(PATH_PREFIX) || urlIdFromHost(req).isPresent();
    }

    @Override
    public void serve(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.next();
        try {
            serve(req, res, requestId);
        } catch (IOException | RuntimeException e) {
            LOG.error("function URL request {} {} failed", req.prologue().method().text(), req.path().rawPath(), e);
            if (!res.isSent()) {
                sendError(res, 500, "InternalFailure", "{\"Message\":\"Internal Server Error\"}", requestId);
            }
        }
    }

    private void serve(ServerRequest req, ServerResponse res, String requestId) throws IOException {
        String rawPath = req.path().rawPath();
        Optional<String> hostId = urlIdFromHost(req);
        String urlId;
        String path;
        if (hostId.isPresent()) {
            urlId = hostId.get();
            path = rawPath;
        } else {
            String rest = rawPath.substring(PATH_PREFIX.length());
            int slash = rest.indexOf('/');
            urlId = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "/" : rest.substring(slash);
        }
        Optional<UrlConfig> found = lamina.urls().byId(urlId);
        if (found.isEmpty()) {
            // AWS answers an unknown URL id exactly like this, with a null message.
            sendError(res, 403, "AccessDeniedException", "{\"Message\":null}", requestId);
            return;
        }
        UrlConfig config = found.get();
        byte[] body = RequestBodies.read(req, MAX_BODY);
        if (body.length > MAX_BODY) {
            sendError(res, 413, "RequestEntityTooLargeException",
                    "{\"Message\":\"Request must be smaller than " + MAX_BODY + " bytes for the InvokeFunction operation\"}",
                    requestId);
            return;
        }
        UrlRequest request = toRequest(req, path, body);
        if (config.cors().isPresent() && CorsHeaders.isPreflight(request)) {
            send(res, new UrlResponse(200, CorsHeaders.preflight(config.cors().get(), request), List.of(), new byte[0]),
                    requestId, Optional.empty());
            return;
        }
        switch (authorize(config, request, rawPath, requestId)) {
            case Access.Denied denied -> sendError(res, 403, "AccessDeniedException",
                    "{\"Message\":\"" + denied.message() + "\"}", requestId);
            case Access.Granted granted -> {
                if (config.effectiveInvokeMode() == UrlConfig.InvokeMode.RESPONSE_STREAM) {
                    serveStreaming(config, request, granted.caller(), res, requestId);
                } else {
                    serveBuffered(config, request, granted.caller(), res, requestId);
                }
            }
        }
    }

    /** A BUFFERED URL: invoke, wait for the whole result, answer it. */
    private void serveBuffered(UrlConfig config, UrlRequest request, Optional<UrlEvents.Caller> caller,
                               ServerResponse res, String requestId) {
        UrlResponse response = invoke(config, request, caller, requestId);
        send(res, withCors(config, request, response), requestId, request.header("x-amzn-trace-id"));
    }

    /**
     * A RESPONSE_STREAM URL: the function's stream goes to the client as it is written (status and headers
     * from its http-integration-response prelude). A function that does not stream answers whole, and its
     * answer follows the same response rules as on a BUFFERED URL.
     */
    private void serveStreaming(UrlConfig config, UrlRequest request, Optional<UrlEvents.Caller> caller,
                                ServerResponse res, String requestId) {
        var extra = new java.util.LinkedHashMap<String, String>();
        extra.put("x-amzn-RequestId", requestId);
        request.header("x-amzn-trace-id").ifPresent(t -> extra.put("X-Amzn-Trace-Id", t));
        config.cors().ifPresent(cors -> CorsHeaders.response(cors, request).forEach(h -> extra.put(h.getKey(), h.getValue())));
        var sink = new StreamSink(new StreamedHttpResponse(res, extra));
        UrlResponse answer;
        try {
            InvokeStreamResult result = lamina.invoker().invokeStreaming(invokeRequest(config, request, caller,
                    requestId), requestId, sink);
            if (sink.whole != null) {
                answer = result.error().isPresent() ? badGateway() : fromPayload(config, requestId, sink.whole);
            } else if (sink.out.finish(result)) {
                return;
            } else {
                answer = badGateway(); // failed before its first byte, or a malformed prelude
            }
        } catch (LambdaException e) {
            answer = invokeFailed(config, requestId, e);
        } catch (IOException e) {
            LOG.debug("function URL {} ({}): request {}: the client went away during the stream", config.urlId(),
                    describe(config), requestId);
            return;
        }
        send(res, withCors(config, request, answer), requestId, request.header("x-amzn-trace-id"));
    }

    /** Streams to the client, but keeps a function's whole (non-streamed) answer for the buffered rules. */
    private static final class StreamSink implements ResponseSink {
        final StreamedHttpResponse out;
        byte[] whole;

        StreamSink(StreamedHttpResponse out) {
            this.out = out;
        }

        @Override
        public void begin(String contentType, String executedVersion, String requestId) throws IOException {
            out.begin(contentType, executedVersion, requestId);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void buffered(byte[] payload, String executedVersion, String requestId) {
            whole = payload;
        }
    }

    /** The AuthType's verdict: the signed caller (empty for NONE), or the 403's message. */
    private sealed interface Access {
        record Granted(Optional<UrlEvents.Caller> caller) implements Access {
        }

        record Denied(String message) implements Access {
        }
    }

    /** Applies the URL's AuthType ({@code signedPath}: the raw path as sent, which the caller signed). */
    private Access authorize(UrlConfig config, UrlRequest request, String signedPath, String requestId) {
        FunctionRef target = new FunctionRef(config.functionName(), config.qualifier());
        if (config.authType() == UrlConfig.AuthType.NONE) {
            Decision d = lamina.permissions().evaluate(target,
                    AccessRequest.functionUrl("NONE", new Principal.Anonymous()));
            if (!d.allowed()) {
                return deny(requestId, config, d.reason());
            }
            return new Access.Granted(Optional.empty());
        }
        // The client signed the path it sent, /_url/<url-id>/ included when it used the path form.
        SigV4Verifier.Result verdict = verifier.verify(new UrlRequest(request.method(), signedPath, request.rawQuery(),
                request.headers(), request.body(), request.sourceIp(), request.protocol()));
        if (verdict instanceof SigV4Verifier.Result.Rejected rejected) {
            LOG.warn("function URL {} ({}): request {} refused: {}", config.urlId(), describe(config), requestId,
                    rejected.reason());
            return new Access.Denied("Forbidden");
        }
        SigningCredential signer = ((SigV4Verifier.Result.Verified) verdict).credential();
        // An identity of the function's own account holds lambda:InvokeFunctionUrl through its identity
        // policy (IAM is not imitated: configured credentials have it); another account's needs a statement.
        if (!signer.accountId().equals(lamina.config().accountId())) {
            Decision d = lamina.permissions().evaluate(target, AccessRequest.functionUrl("AWS_IAM",
                    new Principal.Identity(signer.accountId(), signer.arn())));
            if (!d.allowed()) {
                return deny(requestId, config, signer.arn() + ": " + d.reason());
            }
        }
        return new Access.Granted(Optional.of(new UrlEvents.Caller(signer.accessKeyId(), signer.accountId(),
                signer.arn(), signer.accessKeyId())));
    }

    private static Access deny(String requestId, UrlConfig config, String reason) {
        LOG.warn("function URL {} ({}): request {} denied: {}", config.urlId(), describe(config), requestId, reason);
        return new Access.Denied(FORBIDDEN);
    }

    private UrlResponse invoke(UrlConfig config, UrlRequest request, Optional<UrlEvents.Caller> caller,
                               String requestId) {
        InvokeResult result;
        try {
            result = lamina.invoker().invoke(invokeRequest(config, request, caller, requestId), requestId);
        } catch (LambdaException e) {
            return invokeFailed(config, requestId, e);
        }
        if (result.functionError().isPresent()) {
            return badGateway();
        }
        return fromPayload(config, requestId, result.payload());
    }

    private static UrlResponse fromPayload(UrlConfig config, String requestId, byte[] payload) {
        try {
            return UrlResponses.fromPayload(payload);
        } catch (UrlResponses.MalformedResponseException e) {
            LOG.warn("function URL {} ({}): request {}: malformed function response: {}", config.urlId(),
                    describe(config), requestId, e.getMessage());
            return badGateway();
        }
    }

    private InvokeRequest invokeRequest(UrlConfig config, UrlRequest request, Optional<UrlEvents.Caller> caller,
                                        String requestId) {
        String domain = config.urlId() + ".lambda-url." + lamina.config().region() + ".localhost";
        byte[] event = UrlEvents.build(request, config.urlId(), domain, lamina.config().accountId(), caller,
                requestId, clock.instant());
        return new InvokeRequest(config.functionName(), config.qualifier(), InvocationType.RequestResponse, event,
                false, Optional.empty(), request.header("x-amzn-trace-id"));
    }

    /** Lambda refused the invocation (throttled, function inactive...): its error, in the URL's own shape. */
    private static UrlResponse invokeFailed(UrlConfig config, String requestId, LambdaException e) {
        LOG.warn("function URL {} ({}): request {} could not invoke: {} {}", config.urlId(), describe(config),
                requestId, e.type(), e.getMessage());
        String message = e.getMessage() == null ? "null" : "\"" + jsonEscape(e.getMessage()) + "\"";
        return new UrlResponse(e.type().status(), List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("x-amzn-ErrorType", e.type().name())), List.of(),
                ("{\"Message\":" + message + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** A function error, a timeout or an answer that is no response: AWS's 502, with a plain-text body. */
    private static UrlResponse badGateway() {
        return new UrlResponse(502, List.of(Map.entry("Content-Type", "application/json")), List.of(),
                "Internal Server Error".getBytes(StandardCharsets.UTF_8));
    }

    private static UrlResponse withCors(UrlConfig config, UrlRequest request, UrlResponse response) {
        if (config.cors().isEmpty()) {
            return response;
        }
        var headers = new ArrayList<Map.Entry<String, String>>();
        for (var h : response.headers()) {
            if (!CorsHeaders.isCorsHeader(h.getKey())) {
                headers.add(h);
            }
        }
        headers.addAll(CorsHeaders.response(config.cors().get(), request));
        return new UrlResponse(response.status(), headers, response.cookies(), response.body());
    }

    private UrlRequest toRequest(ServerRequest req, String path, byte[] body) {
        var headers = new ArrayList<Map.Entry<String, String>>();
        for (var h : req.headers()) {
            if (HOP_BY_HOP.contains(h.name().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            for (String v : h.allValues()) {
                headers.add(Map.entry(h.name(), v));
            }
        }
        String sourceIp = req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : req.remotePeer().host();
        var request = new UrlRequest(req.prologue().method().text(), path, req.query().rawValue(), headers, body,
                sourceIp, req.prologue().protocol() + "/" + req.prologue().protocolVersion());
        // What AWS's front end adds before the function sees the request.
        addIfAbsent(headers, request, "x-forwarded-for", sourceIp);
        addIfAbsent(headers, request, "x-forwarded-proto", req.isSecure() ? "https" : "http");
        addIfAbsent(headers, request, "x-forwarded-port", Integer.toString(req.localPeer().port()));
        addIfAbsent(headers, request, "x-amzn-trace-id", traceId());
        return new UrlRequest(request.method(), path, request.rawQuery(), headers, body, sourceIp, request.protocol());
    }

    private static void addIfAbsent(List<Map.Entry<String, String>> headers, UrlRequest req, String name, String value) {
        if (req.header(name).isEmpty()) {
            headers.add(Map.entry(name, value));
        }
    }

    private String traceId() {
        long seconds = clock.instant().getEpochSecond();
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "Root=1-" + Long.toHexString(seconds) + "-" + HexFormat.of().formatHex(random);
    }

    /** The url id of a host like {@code <url-id>.lambda-url.<region>.localhost[:port]}. */
    private static Optional<String> urlIdFromHost(ServerRequest req) {
        String host = req.authority();
        if (host == null) {
            return Optional.empty();
        }
        int mark = host.indexOf(HOST_MARK);
        if (mark <= 0) {
            return Optional.empty();
        }
        return Optional.of(host.substring(0, mark));
    }

    private static String describe(UrlConfig c) {
        return c.functionName() + c.qualifier().map(q -> ":" + q).orElse("");
    }

    private static void send(ServerResponse res, UrlResponse r, String requestId, Optional<String> traceId) {
        res.status(Status.create(r.status()));
        for (var h : r.headers()) {
            res.header(NAMES.computeIfAbsent(h.getKey(), HeaderNames::create), h.getValue());
        }
        if (!r.cookies().isEmpty()) {
            res.header(HeaderNames.SET_COOKIE, r.cookies().toArray(String[]::new));
        }
        res.header(REQUEST_ID, requestId);
        traceId.ifPresent(t -> res.header(TRACE_ID, t));
        res.send(r.body());
    }

    private static void sendError(ServerResponse res, int status, String type, String json, String requestId) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(ERROR_TYPE, type);
        res.header(REQUEST_ID, requestId);
        res.send(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
