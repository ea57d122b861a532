package io.lamina.core.httpapi;

import io.lamina.core.Lamina;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.permissions.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data plane of HTTP APIs: pick the stage and route, run the route's Lambda authorizer, check
 * that the function's resource policy lets API Gateway invoke it, build the event of the
 * integration's payload format, invoke, and turn the answer into the response; failures answer
 * the way API Gateway does ({@code {"message":"Not Found"}} 404, {@code Internal Server Error} 500,
 * {@code Service Unavailable} 503 on an integration timeout, 401/403 from authorizers).
 */
public final class HttpApiGateway {
    /** An integration with a CredentialsArn invokes as that role; Lamina does not imitate identity policies. */
    private static final Decision AS_ROLE = new Decision(true, java.util.Optional.empty(),
            "invoked under the integration's CredentialsArn");
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiGateway.class);
    /** API Gateway's payload limit for HTTP APIs. */
    public static final int MAX_BODY = 10 * 1024 * 1024;

    private final HttpApis apis;
    private final Functions functions;
    private final Clock clock;
    private final String region;
    private final String accountId;
    private final Authorizers authorizers;

    public HttpApiGateway(Lamina lamina, Clock clock) {
        this(lamina.httpApis(), new LaminaFunctions(lamina), clock, lamina.config().region(), lamina.config().accountId());
    }

    HttpApiGateway(HttpApis apis, Functions functions, Clock clock, String region, String accountId) {
        this.apis = apis;
        this.functions = functions;
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
        this.authorizers = new Authorizers(clock);
    }

    /** Whether {@code apiId} names an API (the front door claims only those). */
    public boolean exists(String apiId) {
        return apis.deployment(apiId).isPresent();
    }

    public GatewayResponse serve(String apiId, GatewayRequest req) {
        String requestId = newRequestId();
        long now = clock.millis();
        Optional<Deployment> deployment = apis.deployment(apiId);
        if (deployment.isEmpty()) {
            return GatewayResponse.notFound(requestId);
        }
        Deployment d = deployment.get();
        if (d.endpointDisabled()) {
            return GatewayResponse.message(403, "Forbidden", requestId); // DisableExecuteApiEndpoint
        }
        if (d.cors().isEmpty()) {
            return route(d, req, requestId, now);
        }
        Deployment.Cors cors = d.cors().get();
        Optional<String> origin = header(req, "origin");
        if (req.method().equals("OPTIONS") && origin.isPresent() && header(req, "access-control-request-method").isPresent()) {
            return preflight(cors, origin.get(), requestId);
        }
        GatewayResponse r = route(d, req, requestId, now);
        return origin.flatMap(cors::allowedOrigin).map(allowed -> withCors(r, cors, allowed)).orElse(r);
    }

    /** API Gateway answers CORS preflight requests itself when the API has a CORS configuration. */
    private static GatewayResponse preflight(Deployment.Cors cors, String origin, String requestId) {
        var headers = new ArrayList<Map.Entry<String, String>>();
        cors.allowedOrigin(origin).ifPresent(allowed -> {
            headers.add(Map.entry("access-control-allow-origin", allowed));
            if (!cors.allowMethods().isEmpty()) {
                headers.add(Map.entry("access-control-allow-methods", String.join(",", cors.allowMethods())));
            }
            if (!cors.allowHeaders().isEmpty()) {
                headers.add(Map.entry("access-control-allow-headers", String.join(",", cors.allowHeaders())));
            }
            if (cors.maxAge() >= 0) {
                headers.add(Map.entry("access-control-max-age", Integer.toString(cors.maxAge())));
            }
            if (cors.allowCredentials()) {
                headers.add(Map.entry("access-control-allow-credentials", "true"));
            }
        });
        headers.add(Map.entry("apigw-requestid", requestId));
        return new GatewayResponse(204, List.copyOf(headers), new byte[0]);
    }

    /** With a CORS configuration, API Gateway replaces the integration's CORS headers with its own. */
    private static GatewayResponse withCors(GatewayResponse r, Deployment.Cors cors, String allowedOrigin) {
        var headers = new ArrayList<Map.Entry<String, String>>(r.headers().size() + 3);
        for (var h : r.headers()) {
            if (!h.getKey().regionMatches(true, 0, "access-control-", 0, 15)) {
                headers.add(h);
            }
        }
        headers.add(Map.entry("access-control-allow-origin", allowedOrigin));
        if (cors.allowCredentials()) {
            headers.add(Map.entry("access-control-allow-credentials", "true"));
        }
        if (!cors.exposeHeaders().isEmpty()) {
            headers.add(Map.entry("access-control-expose-headers", String.join(",", cors.exposeHeaders())));
        }
        return new GatewayResponse(r.status(), List.copyOf(headers), r.body());
    }

    private static Optional<String> header(GatewayRequest req, String name) {
        for (var h : req.headers()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    private GatewayResponse route(Deployment d, GatewayRequest req, String requestId, long now) {
        String apiId = d.apiId();
        // A named stage is the first path segment; anything else belongs to the $default stage.
        String path = req.path().isEmpty() ? "/" : req.path();
        int slash = path.indexOf('/', 1);
        String first = slash < 0 ? path.substring(1) : path.substring(1, slash);
        Deployment.Stage stage = first.equals("$default") ? null : d.stages().get(first);
        String routePath;
        if (stage != null) {
            routePath = slash < 0 ? "/" : path.substring(slash);
        } else {
            stage = d.stages().get("$default");
            routePath = path;
            if (stage == null) {
                return GatewayResponse.notFound(requestId);
            }
        }
        if (req.body().length > MAX_BODY) {
            return GatewayResponse.message(413, "Request Entity Too Large", requestId);
        }
        Optional<Deployment.Match> match = d.match(req.method(), routePath);
        if (match.isEmpty() || match.get().route().integration().isEmpty()) {
            return GatewayResponse.notFound(requestId);
        }
        Deployment.Route route = match.get().route();
        Deployment.Integration integration = route.integration().get();
        String resourcePath = route.key().isDefault() ? RouteKey.DEFAULT : route.key().path();
        Events.Request view = Events.read(req, apiId, accountId, stage.name(), route.key().text(), resourcePath,
                requestId, now, match.get().pathParameters(), stage.variables(), !integration.v2()
                        || route.authorizer().filter(a -> a.payloadFormatVersion().equals("1.0")).isPresent());

        Optional<Authorizers.Answer> answer = Optional.empty();
        long authLatency = 0;
        if (route.authorizer().isPresent()) {
            long t0 = System.nanoTime();
            var auth = authorize(route.authorizer().get(), view, routePath, route);
            if (auth instanceof GatewayResponse refused) {
                return refused;
            }
            answer = Optional.of((Authorizers.Answer) auth);
            authLatency = (System.nanoTime() - t0) / 1_000_000;
        }

        String sourceArn = executeApiArn(apiId) + "/" + stage.name() + (route.key().isDefault() ? "/$default"
                : "/" + req.method() + route.key().path());
        String functionArn = integration.functionArn();
        if (functionArn.indexOf('$') >= 0) {
            functionArn = withStageVariables(functionArn, stage.variables());
            if (functionArn == null) {
                LOG.warn("HTTP API {} route '{}': the integration's function {} names a stage variable stage {} lacks",
                        apiId, route.key().text(), integration.functionArn(), stage.name());
                return GatewayResponse.internalError(requestId);
            }
        }
        try {
            Decision decision = integration.asRole() ? AS_ROLE : functions.permits(functionArn, sourceArn);
            if (!decision.allowed()) {
                LOG.warn("HTTP API {} route '{}': API Gateway may not invoke {} ({}); grant it with AddPermission: "
                                + "Action lambda:InvokeFunction, Principal apigateway.amazonaws.com, SourceArn matching {}",
                        apiId, route.key().text(), functionArn, decision.reason(), sourceArn);
                return GatewayResponse.internalError(requestId);
            }
            long latency = authLatency;
            byte[] event = integration.v2()
                    ? Events.v2(view, answer.map(Authorizers.Answer::context))
                    : Events.v1(view, answer.map(a -> v1Authorizer(a, latency)));
            InvokeResult result = invoke(functionArn, integration.timeoutMillis(), event);
            if (result == null) {
                LOG.warn("HTTP API {} route '{}': {} did not answer within the integration timeout of {} ms",
                        apiId, route.key().text(), functionArn, integration.timeoutMillis());
                return GatewayResponse.message(503, "Service Unavailable", requestId);
            }
            if (result.functionError().isPresent()) {
                LOG.info("HTTP API {} route '{}': {} failed (request {}); answering 500", apiId, route.key().text(),
                        functionArn, result.requestId());
                return GatewayResponse.internalError(requestId);
            }
            Optional<GatewayResponse> response = integration.v2()
                    ? Responses.v2(result.payload(), requestId) : Responses.v1(result.payload(), requestId);
            if (response.isEmpty()) {
                LOG.info("HTTP API {} route '{}': {} answered a malformed Lambda proxy response (payload {}); answering 500",
                        apiId, route.key().text(), functionArn, integration.payloadFormatVersion());
                return GatewayResponse.internalError(requestId);
            }
            return response.get();
        } catch (LambdaException e) {
            if (e.type() == ErrorType.RequestEntityTooLargeException) {
                return GatewayResponse.message(413, "Request Entity Too Large", requestId);
            }
            LOG.warn("HTTP API {} route '{}': invoking {} failed: {} {}", apiId, route.key().text(),
                    functionArn, e.type(), e.getMessage());
            return GatewayResponse.internalError(requestId);
        }
    }

    /** Runs the integration; null when it outlasts the integration's timeout (the function runs on, as on AWS). */
    private InvokeResult invoke(String functionArn, int timeoutMillis, byte[] event) {
        String traceId = traceId();
        if (functions.timeoutMillis(functionArn) <= timeoutMillis) {
            return functions.invoke(functionArn, event, traceId); // the function's own timeout comes first
        }
        var future = new CompletableFuture<InvokeResult>();
        Thread.ofVirtual().name("httpapi-invoke").start(() -> {
            try {
                future.complete(functions.invoke(functionArn, event, traceId));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaException(ErrorType.ServiceException, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The answer of the route's authorizer, or the response refusing the request. */
    private Object authorize(Deployment.Authorizer a, Events.Request view, String routePath, Deployment.Route route) {
        String requestId = view.requestId();
        var identity = new ArrayList<String>(a.identitySources().size());
        for (var source : a.identitySources()) {
            Optional<String> v = identityValue(source, view);
            if (v.isEmpty() || v.get().isEmpty()) {
                return GatewayResponse.message(401, "Unauthorized", requestId);
            }
            identity.add(v.get());
        }
        String routeArn = executeApiArn(view.apiId()) + "/" + view.stage() + "/" + view.raw().method() + routePath;
        String cacheKey = a.cacheKey() + '\u0000' + String.join("\u0000", identity);
        Optional<Authorizers.Answer> answer = a.ttlSeconds() > 0 && !identity.isEmpty()
                ? authorizers.cached(cacheKey) : Optional.empty();
        if (answer.isEmpty()) {
            String sourceArn = executeApiArn(view.apiId()) + "/authorizers/" + a.id();
            try {
                Decision decision = functions.permits(a.functionArn(), sourceArn);
                if (!decision.allowed()) {
                    LOG.warn("HTTP API {} authorizer {}: API Gateway may not invoke {} ({}); grant it with AddPermission: "
                                    + "Action lambda:InvokeFunction, Principal apigateway.amazonaws.com, SourceArn matching {}",
                            view.apiId(), a.id(), a.functionArn(), decision.reason(), sourceArn);
                    return GatewayResponse.internalError(requestId);
                }
                byte[] event = a.payloadFormatVersion().equals("2.0")
                        ? Events.authorizerV2(view, routeArn, identity) : Events.authorizerV1(view, routeArn, identity);
                InvokeResult r = functions.invoke(a.functionArn(), event, traceId());
                if (r.functionError().isPresent()) {
                    LOG.info("HTTP API {} authorizer {}: {} failed; answering 500", view.apiId(), a.id(), a.functionArn());
                    return GatewayResponse.internalError(requestId);
                }
                answer = Authorizers.read(r.payload(), a.simpleResponses());
                if (answer.isEmpty()) {
                    LOG.info("HTTP API {} authorizer {}: {} answered no valid {} response; answering 500", view.apiId(),
                            a.id(), a.functionArn(), a.simpleResponses() ? "simple" : "IAM policy");
                    return GatewayResponse.internalError(requestId);
                }
            } catch (LambdaException e) {
                LOG.warn("HTTP API {} authorizer {}: invoking {} failed: {} {}", view.apiId(), a.id(), a.functionArn(),
                        e.type(), e.getMessage());
                return GatewayResponse.internalError(requestId);
            }
            if (!identity.isEmpty()) {
                authorizers.remember(cacheKey, answer.get(), a.ttlSeconds());
            }
        }
        if (!answer.get().allows(routeArn)) {
            return GatewayResponse.message(403, "Forbidden", requestId);
        }
        return answer.get();
    }

    private static Optional<String> identityValue(Deployment.IdentitySource s, Events.Request view) {
        return switch (s.where()) {
            case HEADER -> view.header(s.name());
            case QUERY -> Optional.ofNullable(view.query().get(s.name())).map(v -> String.join(",", v));
            case STAGE_VARIABLE -> Optional.ofNullable(view.stageVariables().get(s.name()));
            case CONTEXT -> Optional.ofNullable(switch (s.name()) {
                case "apiId" -> view.apiId();
                case "stage" -> view.stage();
                case "requestId" -> view.requestId();
                case "routeKey" -> view.routeKey();
                case "httpMethod" -> view.raw().method();
                case "path" -> view.path();
                case "identity.sourceIp" -> view.raw().sourceIp();
                case "identity.userAgent" -> view.userAgent();
                default -> null;
            });
        };
    }

    /** {@code requestContext.authorizer} of a 1.0 event: the context's members, principalId, integrationLatency. */
    private static Map<String, Object> v1Authorizer(Authorizers.Answer a, long latency) {
        var m = new LinkedHashMap<String, Object>(a.context());
        if (a instanceof Authorizers.Policy p) {
            m.put("principalId", p.principalId());
        }
        m.put("integrationLatency", latency);
        return m;
    }

    /** {@code ${stageVariables.name}} replaced by the stage's values; null when one is missing. */
    private static String withStageVariables(String arn, Map<String, String> variables) {
        var m = HttpApis.STAGE_VARIABLE.matcher(arn);
        var out = new StringBuilder();
        while (m.find()) {
            String v = variables.get(m.group(1));
            if (v == null) {
                return null;
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String executeApiArn(String apiId) {
        return "arn:aws:execute-api:" + region + ":" + accountId + ":" + apiId;
    }

    /** API Gateway's request ids for HTTP APIs look like {@code JKJaXmPLvHcESHA=}: 11 random bytes in base64. */
    private static String newRequestId() {
        byte[] b = new byte[11];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private String traceId() {
        var rnd = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        rnd.nextBytes(root);
        return "Root=1-" + Long.toHexString(clock.millis() / 1000) + "-" + HexFormat.of().formatHex(root);
    }
}
