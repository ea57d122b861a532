package io.lamina.core.httpapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The HTTP APIs of the {@code apigatewayv2} control API: APIs, routes, integrations, stages and
 * Lambda REQUEST authorizers, kept as documents in their wire shape (camelCase members, as GetApi
 * and its siblings answer), validated as AWS validates them, stored durably, and compiled into a
 * {@link Deployment} per API for the data plane whenever anything of the API changes.
 */
public final class HttpApis implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "api", ROUTE = "route", INTEGRATION = "integration", STAGE = "stage",
            AUTHORIZER = "authorizer", DEPLOYMENT = "deployment";
    private static final List<String> KINDS = List.of(ROUTE, INTEGRATION, STAGE, AUTHORIZER, DEPLOYMENT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** A Lambda function ARN, maybe qualified by a version or alias. */
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9-_]{1,64}(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
    /** API Gateway's form of a Lambda target: {@code arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations}. */
    private static final Pattern INVOCATIONS_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/(?<fn>.+)/invocations");
    static final Pattern STAGE_VARIABLE = Pattern.compile("\\$\\{stageVariables\\.([A-Za-z0-9_]+)}");
    private static final Pattern STAGE_NAME = Pattern.compile("\\$default|[a-zA-Z0-9._~-]{1,128}");

    /** The documents of one API, by kind then id, in creation order. */
    private static final class ApiDocs {
        final ObjectNode api;
        final Map<String, Map<String, ObjectNode>> children = new LinkedHashMap<>();

        ApiDocs(ObjectNode api) {
            this.api = api;
            KINDS.forEach(k -> children.put(k, new LinkedHashMap<>()));
        }

        Map<String, ObjectNode> of(String kind) {
            return children.get(kind);
        }
    }

    private final HttpApiStore store;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ApiDocs> apis = new LinkedHashMap<>();
    private final Map<String, Deployment> deployed = new ConcurrentHashMap<>();
    /** Bumped by every redeploy: an authorizer's cached answers belong to one deployment, as on AWS. */
    private long generation;

    public HttpApis(HttpApiStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        var rows = store.loadAll();
        for (var row : rows) {
            if (row.kind().equals(API)) {
                apis.put(row.apiId(), new ApiDocs(parse(row.document())));
            }
        }
        for (var row : rows) {
            ApiDocs docs = apis.get(row.apiId());
            if (docs != null && !row.kind().equals(API)) {
                docs.of(row.kind()).put(row.id(), parse(row.document()));
            }
        }
        apis.keySet().forEach(this::redeploy);
    }

    /** The deployment the data plane serves for {@code apiId}: an in-memory read. */
    public Optional<Deployment> deployment(String apiId) {
        return Optional.ofNullable(deployed.get(apiId));
    }

    // ---- APIs ----

    public ObjectNode createApi(JsonNode in) {
        String name = requiredString(in, "name");
        checkLength("name", name, 1, 128);
        String protocol = requiredString(in, "protocolType");
        if (!protocol.equals("HTTP")) {
            throw HttpApiException.badRequest("Lamina serves HTTP APIs only: ProtocolType must be HTTP, not " + protocol);
        }
        checkCors(in.get("corsConfiguration"));
        ObjectNode api = JSON.createObjectNode();
        api.put("apiId", newId(10));
        api.put("apiKeySelectionExpression", optionalString(in, "apiKeySelectionExpression").orElse("$request.header.x-api-key"));
        copyIf(in, api, "corsConfiguration");
        api.put("createdDate", now());
        optionalString(in, "description").ifPresent(d -> api.put("description", d));
        api.put("disableExecuteApiEndpoint", in.path("disableExecuteApiEndpoint").asBoolean(false));
        api.put("name", name);
        api.put("protocolType", "HTTP");
        api.put("routeSelectionExpression", "$request.method $request.path");
        api.set("tags", in.path("tags").isObject() ? in.get("tags").deepCopy() : JSON.createObjectNode());
        optionalString(in, "version").ifPresent(v -> api.put("version", v));
        Optional<String> target = optionalString(in, "target");
        Optional<String> routeKey = optionalString(in, "routeKey");
        if (target.isEmpty() && routeKey.isPresent()) {
            throw HttpApiException.badRequest("RouteKey is only valid with Target (quick create)");
        }
        target.ifPresent(HttpApis::functionOf);
        Optional<String> credentials = credentialsArn(in);
        if (target.isEmpty() && credentials.isPresent()) {
            throw HttpApiException.badRequest("CredentialsArn is only valid with Target (quick create)");
        }
        RouteKey key = RouteKey.parse(routeKey.orElse(RouteKey.DEFAULT));
        lock.lock();
        try {
            String apiId = api.get("apiId").asText();
            ApiDocs docs = new ApiDocs(api);
            persist(apiId, API, apiId, api);
            apis.put(apiId, docs);
            if (target.isPresent()) {
                quickCreate(apiId, docs, target.get(), key, credentials);
            }
            redeploy(apiId);
            return api.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** Quick create: a managed Lambda proxy integration (payload 2.0), a route to it and an auto-deploying $default stage. */
    private void quickCreate(String apiId, ApiDocs docs, String target, RouteKey key, Optional<String> credentials) {
        ObjectNode integration = integrationDoc(newId(7), "AWS_PROXY", target, "2.0", 30000, Optional.empty());
        credentials.ifPresent(c -> integration.put("credentialsArn", c));
        integration.put("apiGatewayManaged", true);
        put(apiId, docs, INTEGRATION, integration.get("integrationId").asText(), integration);
        ObjectNode route = routeDoc(newId(7), key.text(), "integrations/" + integration.get("integrationId").asText(),
                "NONE", Optional.empty());
        route.put("apiGatewayManaged", true);
        put(apiId, docs, ROUTE, route.get("routeId").asText(), route);
        ObjectNode stage = stageDoc("$default", true, Optional.empty(), JSON.createObjectNode());
        stage.put("apiGatewayManaged", true);
        put(apiId, docs, STAGE, "$default", stage);
    }

    public ObjectNode getApi(String apiId) {
        lock.lock();
        try {
            return docs(apiId).api.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getApis() {
        lock.lock();
        try {
            return apis.values().stream().map(d -> d.api.deepCopy()).toList();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode updateApi(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode api = docs.api.deepCopy();
            optionalString(in, "name").ifPresent(n -> {
                checkLength("name", n, 1, 128);
                api.put("name", n);
            });
            optionalString(in, "description").ifPresent(d -> api.put("description", d));
            optionalString(in, "version").ifPresent(v -> api.put("version", v));
            optionalString(in, "apiKeySelectionExpression").ifPresent(v -> api.put("apiKeySelectionExpression", v));
            checkCors(in.get("corsConfiguration"));
            copyIf(in, api, "corsConfiguration");
            if (in.has("disableExecuteApiEndpoint")) {
                api.put("disableExecuteApiEndpoint", in.get("disableExecuteApiEndpoint").asBoolean());
            }
            Optional<String> target = optionalString(in, "target");
            Optional<String> routeKey = optionalString(in, "routeKey");
            if (target.isPresent() || routeKey.isPresent()) {
                // Quick-create fields update the managed integration and route, as on AWS.
                target.ifPresent(HttpApis::functionOf);
                routeKey.ifPresent(RouteKey::parse);
                var managedIntegration = docs.of(INTEGRATION).values().stream()
                        .filter(i -> i.path("apiGatewayManaged").asBoolean()).findFirst();
                var managedRoute = docs.of(ROUTE).values().stream()
                        .filter(r -> r.path("apiGatewayManaged").asBoolean()).findFirst();
                if (managedIntegration.isEmpty() || managedRoute.isEmpty()) {
                    throw HttpApiException.badRequest("Target and RouteKey can only be updated on an API made by quick create");
                }
                if (target.isPresent()) {
                    ObjectNode i = managedIntegration.get().deepCopy();
                    i.put("integrationUri", target.get());
                    put(apiId, docs, INTEGRATION, i.get("integrationId").asText(), i);
                }
                if (routeKey.isPresent()) {
                    String rk = RouteKey.parse(routeKey.get()).text();
                    ObjectNode r = managedRoute.get().deepCopy();
                    checkRouteKeyFree(docs, rk, r.get("routeId").asText());
                    r.put("routeKey", rk);
                    put(apiId, docs, ROUTE, r.get("routeId").asText(), r);
                }
            }
            persist(apiId, API, apiId, api);
            docs.api.removeAll();
            docs.api.setAll(api);
            redeploy(apiId);
            return api.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** DeleteCorsConfiguration: the API answers CORS requests no more. */
    public void deleteCorsConfiguration(String apiId) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode api = docs.api.deepCopy();
            api.remove("corsConfiguration");
            persist(apiId, API, apiId, api);
            docs.api.remove("corsConfiguration");
            redeploy(apiId);
        } finally {
            lock.unlock();
        }
    }

    public void deleteApi(String apiId) {
        lock.lock();
        try {
            docs(apiId);
            store.deleteApi(apiId);
            apis.remove(apiId);
            deployed.remove(apiId);
        } finally {
            lock.unlock();
        }
    }

    // ---- routes ----

    public ObjectNode createRoute(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            String key = RouteKey.parse(requiredString(in, "routeKey")).text();
            checkRouteKeyFree(docs, key, null);
            Optional<String> target = optionalString(in, "target");
            target.ifPresent(t -> checkTarget(docs, t));
            String authType = optionalString(in, "authorizationType").orElse("NONE");
            Optional<String> authorizerId = optionalString(in, "authorizerId");
            checkAuthorization(docs, authType, authorizerId);
            ObjectNode route = routeDoc(newId(7), key, target.orElse(null), authType, authorizerId);
            copyIf(in, route, "operationName");
            put(apiId, docs, ROUTE, route.get("routeId").asText(), route);
            redeploy(apiId);
            return route.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode getRoute(String apiId, String routeId) {
        lock.lock();
        try {
            return child(docs(apiId), ROUTE, routeId).deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getRoutes(String apiId) {
        return children(apiId, ROUTE);
    }

    public ObjectNode updateRoute(String apiId, String routeId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode route = child(docs, ROUTE, routeId).deepCopy();
            Optional<String> key = optionalString(in, "routeKey");
            if (key.isPresent()) {
                String k = RouteKey.parse(key.get()).text();
                checkRouteKeyFree(docs, k, routeId);
                route.put("routeKey", k);
            }
            Optional<String> target = optionalString(in, "target");
            target.ifPresent(t -> {
                checkTarget(docs, t);
                route.put("target", t);
            });
            String authType = optionalString(in, "authorizationType").orElse(route.get("authorizationType").asText());
            Optional<String> authorizerId = optionalString(in, "authorizerId")
                    .or(() -> authType.equals("NONE") ? Optional.empty() : optionalString(route, "authorizerId"));
            checkAuthorization(docs, authType, authorizerId);
            route.put("authorizationType", authType);
            route.remove("authorizerId");
            authorizerId.ifPresent(a -> route.put("authorizerId", a));
            copyIf(in, route, "operationName");
            put(apiId, docs, ROUTE, routeId, route);
            redeploy(apiId);
            return route.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public void deleteRoute(String apiId, String routeId) {
        remove(apiId, ROUTE, routeId, () -> {
        });
    }

    // ---- integrations ----

    public ObjectNode createIntegration(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            String type = requiredString(in, "integrationType");
            if (!type.equals("AWS_PROXY")) {
                throw HttpApiException.badRequest("Lamina supports AWS_PROXY (Lambda proxy) integrations only, not " + type);
            }
            String uri = optionalString(in, "integrationUri").orElseThrow(() ->
                    HttpApiException.badRequest("IntegrationUri is required for integration type AWS_PROXY"));
            functionOf(uri);
            String version = payloadVersion(optionalString(in, "payloadFormatVersion").orElse("1.0"));
            int timeout = timeout(in).orElse(30000);
            ObjectNode integration = integrationDoc(newId(7), type, uri, version, timeout,
                    optionalString(in, "description"));
            credentialsArn(in).ifPresent(c -> integration.put("credentialsArn", c));
            put(apiId, docs, INTEGRATION, integration.get("integrationId").asText(), integration);
            redeploy(apiId);
            return integration.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode getIntegration(String apiId, String integrationId) {
        lock.lock();
        try {
            return child(docs(apiId), INTEGRATION, integrationId).deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getIntegrations(String apiId) {
        return children(apiId, INTEGRATION);
    }

    public ObjectNode updateIntegration(String apiId, String integrationId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode integration = child(docs, INTEGRATION, integrationId).deepCopy();
            optionalString(in, "integrationType").ifPresent(t -> {
                if (!t.equals("AWS_PROXY")) {
                    throw HttpApiException.badRequest("Lamina supports AWS_PROXY (Lambda proxy) integrations only, not " + t);
                }
            });
            optionalString(in, "integrationUri").ifPresent(u -> {
                functionOf(u);
                integration.put("integrationUri", u);
            });
            optionalString(in, "payloadFormatVersion").ifPresent(v -> integration.put("payloadFormatVersion", payloadVersion(v)));
            timeout(in).ifPresent(t -> integration.put("timeoutInMillis", t));
            credentialsArn(in).ifPresent(c -> integration.put("credentialsArn", c));
            optionalString(in, "description").ifPresent(d -> integration.put("description", d));
            put(apiId, docs, INTEGRATION, integrationId, integration);
            redeploy(apiId);
            return integration.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public void deleteIntegration(String apiId, String integrationId) {
        remove(apiId, INTEGRATION, integrationId, () -> {
            for (ObjectNode r : docs(apiId).of(ROUTE).values()) {
                if (("integrations/" + integrationId).equals(r.path("target").asText())) {
                    throw HttpApiException.conflict("Integration " + integrationId + " is in use by route "
                            + r.get("routeId").asText() + "; change or delete the route first");
                }
            }
        });
    }

    // ---- stages ----

    public ObjectNode createStage(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            String name = requiredString(in, "stageName");
            if (!STAGE_NAME.matcher(name).matches()) {
                throw HttpApiException.badRequest("Stage name only allows a-zA-Z0-9._- , or $default");
            }
            if (docs.of(STAGE).containsKey(name)) {
                throw HttpApiException.conflict("Stage already exists");
            }
            ObjectNode vars = stageVariables(in.path("stageVariables"));
            ObjectNode stage = stageDoc(name, in.path("autoDeploy").asBoolean(false), optionalString(in, "description"), vars);
            if (in.path("tags").isObject()) {
                stage.set("tags", in.get("tags").deepCopy());
            }
            put(apiId, docs, STAGE, name, stage);
            redeploy(apiId);
            return stage.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode getStage(String apiId, String stageName) {
        lock.lock();
        try {
            return child(docs(apiId), STAGE, stageName).deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getStages(String apiId) {
        return children(apiId, STAGE);
    }

    public ObjectNode updateStage(String apiId, String stageName, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode stage = child(docs, STAGE, stageName).deepCopy();
            if (in.has("autoDeploy")) {
                stage.put("autoDeploy", in.get("autoDeploy").asBoolean());
            }
            optionalString(in, "description").ifPresent(d -> stage.put("description", d));
            if (in.has("stageVariables")) {
                stage.set("stageVariables", stageVariables(in.get("stageVariables")));
            }
            stage.put("lastUpdatedDate", now());
            put(apiId, docs, STAGE, stageName, stage);
            redeploy(apiId);
            return stage.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public void deleteStage(String apiId, String stageName) {
        remove(apiId, STAGE, stageName, () -> {
        });
    }

    // ---- authorizers ----

    public ObjectNode createAuthorizer(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode a = authorizerDoc(newId(7), in);
            put(apiId, docs, AUTHORIZER, a.get("authorizerId").asText(), a);
            redeploy(apiId);
            return a.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    /** UpdateAuthorizer: the given members over the current ones, validated as CreateAuthorizer validates. */
    public ObjectNode updateAuthorizer(String apiId, String authorizerId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            ObjectNode merged = child(docs, AUTHORIZER, authorizerId).deepCopy();
            in.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    merged.set(e.getKey(), e.getValue().deepCopy());
                }
            });
            ObjectNode a = authorizerDoc(authorizerId, merged);
            put(apiId, docs, AUTHORIZER, authorizerId, a);
            redeploy(apiId);
            return a.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    private static ObjectNode authorizerDoc(String id, JsonNode in) {
        String type = requiredString(in, "authorizerType");
        if (!type.equals("REQUEST")) {
            throw HttpApiException.badRequest("Lamina supports Lambda REQUEST authorizers only, not " + type);
        }
        String name = requiredString(in, "name");
        checkLength("name", name, 1, 128);
        String uri = optionalString(in, "authorizerUri").orElseThrow(() ->
                HttpApiException.badRequest("AuthorizerUri is required for a REQUEST authorizer"));
        functionOf(uri);
        String version = payloadVersion(optionalString(in, "authorizerPayloadFormatVersion").orElseThrow(() ->
                HttpApiException.badRequest("AuthorizerPayloadFormatVersion is required for a REQUEST authorizer")));
        boolean simple = in.path("enableSimpleResponses").asBoolean(false);
        if (simple && !version.equals("2.0")) {
            throw HttpApiException.badRequest("EnableSimpleResponses is only supported for payload format version 2.0");
        }
        int ttl = in.has("authorizerResultTtlInSeconds") ? in.get("authorizerResultTtlInSeconds").asInt() : 0;
        if (ttl < 0 || ttl > 3600) {
            throw HttpApiException.badRequest("AuthorizerResultTtlInSeconds must be between 0 and 3600");
        }
        ArrayNode sources = identitySources(in.path("identitySource"));
        if (ttl > 0 && sources.isEmpty()) {
            throw HttpApiException.badRequest("IdentitySource is required when authorizer caching is enabled");
        }
        ObjectNode a = JSON.createObjectNode();
        a.put("authorizerId", id);
        optionalString(in, "authorizerCredentialsArn").ifPresent(c -> a.put("authorizerCredentialsArn", c));
        a.put("authorizerPayloadFormatVersion", version);
        a.put("authorizerResultTtlInSeconds", ttl);
        a.put("authorizerType", type);
        a.put("authorizerUri", uri);
        a.put("enableSimpleResponses", simple);
        a.set("identitySource", sources);
        a.put("name", name);
        return a;
    }

    public ObjectNode getAuthorizer(String apiId, String authorizerId) {
        lock.lock();
        try {
            return child(docs(apiId), AUTHORIZER, authorizerId).deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getAuthorizers(String apiId) {
        return children(apiId, AUTHORIZER);
    }

    public void deleteAuthorizer(String apiId, String authorizerId) {
        remove(apiId, AUTHORIZER, authorizerId, () -> {
            for (ObjectNode r : docs(apiId).of(ROUTE).values()) {
                if (authorizerId.equals(r.path("authorizerId").asText())) {
                    throw HttpApiException.conflict("Authorizer " + authorizerId + " is in use by route "
                            + r.get("routeId").asText() + "; change or delete the route first");
                }
            }
        });
    }

    // ---- deployments ----

    /**
     * CreateDeployment: recorded, and set as the stage's deployment when a stage is named. Lamina's
     * stages always serve the API's current routes, so a deployment is a record, not a snapshot.
     */
    public ObjectNode createDeployment(String apiId, JsonNode in) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            Optional<String> stageName = optionalString(in, "stageName");
            ObjectNode stage = stageName.map(n -> child(docs, STAGE, n).deepCopy()).orElse(null);
            ObjectNode d = JSON.createObjectNode();
            d.put("autoDeployed", false);
            d.put("createdDate", now());
            d.put("deploymentId", newId(6));
            d.put("deploymentStatus", "DEPLOYED");
            optionalString(in, "description").ifPresent(x -> d.put("description", x));
            put(apiId, docs, DEPLOYMENT, d.get("deploymentId").asText(), d);
            if (stage != null) {
                stage.put("deploymentId", d.get("deploymentId").asText());
                stage.put("lastUpdatedDate", now());
                put(apiId, docs, STAGE, stageName.get(), stage);
            }
            return d.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public ObjectNode getDeployment(String apiId, String deploymentId) {
        lock.lock();
        try {
            return child(docs(apiId), DEPLOYMENT, deploymentId).deepCopy();
        } finally {
            lock.unlock();
        }
    }

    public List<ObjectNode> getDeployments(String apiId) {
        return children(apiId, DEPLOYMENT);
    }

    public void deleteDeployment(String apiId, String deploymentId) {
        remove(apiId, DEPLOYMENT, deploymentId, () -> {
        });
    }

    // ---- tags ----

    private static final Pattern TAGGABLE = Pattern.compile(
            "arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+::/apis/(?<api>[a-z0-9]+)(/stages/(?<stage>[^/]+))?");

    /** GetTags: the tags of an API or stage, by its ARN ({@code arn:aws:apigateway:{region}::/apis/{apiId}[/stages/{name}]}). */
    public ObjectNode tags(String resourceArn) {
        lock.lock();
        try {
            return taggable(resourceArn).path("tags").isObject()
                    ? (ObjectNode) taggable(resourceArn).get("tags").deepCopy() : JSON.createObjectNode();
        } finally {
            lock.unlock();
        }
    }

    public void tag(String resourceArn, JsonNode tags) {
        if (tags == null || !tags.isObject()) {
            throw HttpApiException.badRequest("Tags is required");
        }
        tags.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual() || e.getKey().isEmpty() || e.getKey().length() > 128
                    || e.getValue().asText().length() > 256) {
                throw HttpApiException.badRequest("Invalid tag " + e.getKey()
                        + ": keys are 1-128 characters, values strings of at most 256");
            }
        });
        retag(resourceArn, t -> t.setAll((ObjectNode) tags));
    }

    public void untag(String resourceArn, List<String> keys) {
        retag(resourceArn, t -> t.remove(keys));
    }

    private void retag(String resourceArn, java.util.function.Consumer<ObjectNode> change) {
        lock.lock();
        try {
            ObjectNode doc = taggable(resourceArn).deepCopy();
            ObjectNode t = doc.path("tags").isObject() ? (ObjectNode) doc.get("tags") : doc.putObject("tags");
            change.accept(t);
            var m = TAGGABLE.matcher(resourceArn);
            m.matches();
            String apiId = m.group("api");
            ApiDocs docs = docs(apiId);
            if (m.group("stage") == null) {
                persist(apiId, API, apiId, doc);
                docs.api.set("tags", doc.get("tags"));
            } else {
                put(apiId, docs, STAGE, m.group("stage"), doc);
            }
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode taggable(String resourceArn) {
        var m = TAGGABLE.matcher(resourceArn);
        if (!m.matches()) {
            throw HttpApiException.notFound("Invalid resource ARN " + resourceArn
                    + ": use arn:aws:apigateway:{region}::/apis/{apiId} or .../stages/{stageName}");
        }
        ApiDocs docs = docs(m.group("api"));
        return m.group("stage") == null ? docs.api : child(docs, STAGE, m.group("stage"));
    }

    /** The function an integration or authorizer URI names: a Lambda ARN (maybe qualified) or API Gateway's invocations ARN. */
    static String functionOf(String uri) {
        var m = INVOCATIONS_ARN.matcher(uri);
        String fn = m.matches() ? m.group("fn") : uri;
        // A stage variable may stand for a part of the ARN (an alias, say); it is filled in per request.
        if (!FUNCTION_ARN.matcher(STAGE_VARIABLE.matcher(fn).replaceAll("x")).matches()) {
            throw HttpApiException.badRequest("Invalid Lambda function ARN '" + uri + "': use a function ARN "
                    + "(arn:aws:lambda:{region}:{account}:function:{name}[:{alias or version}]) or its API Gateway "
                    + "invocations ARN");
        }
        return fn;
    }

    // ---- helpers ----

    private void remove(String apiId, String kind, String id, Runnable check) {
        lock.lock();
        try {
            ApiDocs docs = docs(apiId);
            child(docs, kind, id);
            check.run();
            store.delete(apiId, kind, id);
            docs.of(kind).remove(id);
            redeploy(apiId);
        } finally {
            lock.unlock();
        }
    }

    private List<ObjectNode> children(String apiId, String kind) {
        lock.lock();
        try {
            return docs(apiId).of(kind).values().stream().map(ObjectNode::deepCopy).toList();
        } finally {
            lock.unlock();
        }
    }

    private ApiDocs docs(String apiId) {
        ApiDocs d = apis.get(apiId);
        if (d == null) {
            throw HttpApiException.notFound("Invalid API identifier specified " + apiId);
        }
        return d;
    }

    private static ObjectNode child(ApiDocs docs, String kind, String id) {
        ObjectNode n = docs.of(kind).get(id);
        if (n == null) {
            String apiId = docs.api.get("apiId").asText();
            throw HttpApiException.notFound(switch (kind) {
                case ROUTE -> "Invalid Route identifier specified " + id;
                case INTEGRATION -> "Invalid Integration identifier specified " + id;
                case AUTHORIZER -> "Invalid Authorizer identifier specified " + id;
                case DEPLOYMENT -> "Invalid Deployment identifier specified " + id;
                default -> "Invalid stage identifier specified " + id;
            } + " for API " + apiId);
        }
        return n;
    }

    private void put(String apiId, ApiDocs docs, String kind, String id, ObjectNode doc) {
        persist(apiId, kind, id, doc);
        docs.of(kind).put(id, doc);
    }

    private void persist(String apiId, String kind, String id, ObjectNode doc) {
        store.put(new HttpApiStore.Row(apiId, kind, id, doc.toString()));
    }

    private static void checkRouteKeyFree(ApiDocs docs, String key, String exceptRouteId) {
        for (ObjectNode r : docs.of(ROUTE).values()) {
            if (r.get("routeKey").asText().equals(key) && !r.get("routeId").asText().equals(exceptRouteId)) {
                throw HttpApiException.conflict("Unable to create route. A route with key '" + key
                        + "' already exists for this API");
            }
        }
    }

    private static void checkTarget(ApiDocs docs, String target) {
        if (!target.startsWith("integrations/") || !docs.of(INTEGRATION).containsKey(target.substring("integrations/".length()))) {
            throw HttpApiException.badRequest("Invalid target specified " + target
                    + ": use integrations/{integrationId} of an integration of this API");
        }
    }

    private static void checkAuthorization(ApiDocs docs, String type, Optional<String> authorizerId) {
        switch (type) {
            case "NONE" -> {
                if (authorizerId.isPresent()) {
                    throw HttpApiException.badRequest("AuthorizerId requires AuthorizationType CUSTOM");
                }
            }
            case "CUSTOM" -> {
                String id = authorizerId.orElseThrow(() ->
                        HttpApiException.badRequest("AuthorizationType CUSTOM requires an AuthorizerId"));
                if (!docs.of(AUTHORIZER).containsKey(id)) {
                    throw HttpApiException.badRequest("Invalid authorizer identifier specified " + id);
                }
            }
            case "AWS_IAM", "JWT" -> throw HttpApiException.badRequest(
                    "Lamina supports AuthorizationType NONE and CUSTOM (Lambda authorizers), not " + type);
            default -> throw HttpApiException.badRequest("Invalid AuthorizationType " + type
                    + ": use NONE, AWS_IAM, CUSTOM or JWT");
        }
    }

    private static ObjectNode routeDoc(String id, String key, String target, String authType, Optional<String> authorizerId) {
        ObjectNode r = JSON.createObjectNode();
        r.put("apiKeyRequired", false);
        r.set("authorizationScopes", JSON.createArrayNode());
        r.put("authorizationType", authType);
        authorizerId.ifPresent(a -> r.put("authorizerId", a));
        r.set("requestParameters", JSON.createObjectNode());
        r.put("routeId", id);
        r.put("routeKey", key);
        if (target != null) {
            r.put("target", target);
        }
        return r;
    }

    /**
     * An integration's {@code CredentialsArn}: the IAM role API Gateway assumes to invoke the function. Only a
     * role can be imitated; passing the caller's identity ({@code arn:aws:iam::*:user/*}) needs IAM authorization,
     * which Lamina's HTTP APIs do not offer.
     */
    private static Optional<String> credentialsArn(JsonNode in) {
        Optional<String> arn = optionalString(in, "credentialsArn");
        arn.ifPresent(a -> {
            if (!a.matches("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
                throw HttpApiException.badRequest("CredentialsArn must be the ARN of an IAM role (arn:aws:iam::{account}:role/{name}): " + a);
            }
        });
        return arn;
    }

    private static ObjectNode integrationDoc(String id, String type, String uri, String version, int timeout,
                                             Optional<String> description) {
        ObjectNode i = JSON.createObjectNode();
        i.put("connectionType", "INTERNET");
        description.ifPresent(d -> i.put("description", d));
        i.put("integrationId", id);
        i.put("integrationMethod", "POST");
        i.put("integrationType", type);
        i.put("integrationUri", uri);
        i.put("payloadFormatVersion", version);
        i.put("timeoutInMillis", timeout);
        return i;
    }

    private ObjectNode stageDoc(String name, boolean autoDeploy, Optional<String> description, ObjectNode vars) {
        ObjectNode s = JSON.createObjectNode();
        s.put("autoDeploy", autoDeploy);
        s.put("createdDate", now());
        s.set("defaultRouteSettings", JSON.createObjectNode().put("detailedMetricsEnabled", false));
        description.ifPresent(d -> s.put("description", d));
        s.put("lastUpdatedDate", now());
        s.set("routeSettings", JSON.createObjectNode());
        s.put("stageName", name);
        s.set("stageVariables", vars);
        s.set("tags", JSON.createObjectNode());
        return s;
    }

    private static ObjectNode stageVariables(JsonNode in) {
        ObjectNode vars = JSON.createObjectNode();
        if (in.isObject()) {
            var it = in.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getKey().matches("[a-zA-Z0-9_]{1,64}")) {
                    throw HttpApiException.badRequest("Stage variable name " + e.getKey()
                            + " must match [a-zA-Z0-9_]{1,64}");
                }
                if (!e.getValue().isTextual() || e.getValue().asText().length() > 2048) {
                    throw HttpApiException.badRequest("Stage variable " + e.getKey()
                            + " must be a string of at most 2048 characters");
                }
                vars.put(e.getKey(), e.getValue().asText());
            }
        }
        return vars;
    }

    private static ArrayNode identitySources(JsonNode in) {
        ArrayNode out = JSON.createArrayNode();
        if (in.isArray()) {
            for (JsonNode s : in) {
                identitySource(s.asText());
                out.add(s.asText());
            }
        } else if (in.isTextual()) {
            for (String s : in.asText().split(",")) {
                identitySource(s.trim());
                out.add(s.trim());
            }
        }
        return out;
    }

    static Deployment.IdentitySource identitySource(String s) {
        for (var w : new Object[][]{{"$request.header.", Deployment.IdentitySource.Where.HEADER},
                {"$request.querystring.", Deployment.IdentitySource.Where.QUERY},
                {"$context.", Deployment.IdentitySource.Where.CONTEXT},
                {"$stageVariables.", Deployment.IdentitySource.Where.STAGE_VARIABLE}}) {
            String prefix = (String) w[0];
            if (s.startsWith(prefix) && s.length() > prefix.length()) {
                return new Deployment.IdentitySource(s, (Deployment.IdentitySource.Where) w[1], s.substring(prefix.length()));
            }
        }
        throw HttpApiException.badRequest("Invalid identity source " + s + ": use $request.header.name, "
                + "$request.querystring.name, $context.variable or $stageVariables.name");
    }

    private static String payloadVersion(String v) {
        if (!v.equals("1.0") && !v.equals("2.0")) {
            throw HttpApiException.badRequest("Invalid payload format version " + v + ": use 1.0 or 2.0");
        }
        return v;
    }

    private static Optional<Integer> timeout(JsonNode in) {
        if (!in.has("timeoutInMillis")) {
            return Optional.empty();
        }
        int t = in.get("timeoutInMillis").asInt();
        if (t < 50 || t > 30000) {
            throw HttpApiException.badRequest("Timeout must be between 50 milliseconds and 30 seconds.");
        }
        return Optional.of(t);
    }

    private static String requiredString(JsonNode in, String field) {
        return optionalString(in, field).orElseThrow(() -> HttpApiException.badRequest(
                Character.toUpperCase(field.charAt(0)) + field.substring(1) + " is required"));
    }

    private static Optional<String> optionalString(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw HttpApiException.badRequest("Invalid value for " + field + ": a string is expected");
        }
        return Optional.of(n.asText());
    }

    private static void checkLength(String field, String v, int min, int max) {
        if (v.length() < min || v.length() > max) {
            throw HttpApiException.badRequest("Invalid " + field + ": its length must be between " + min + " and " + max);
        }
    }

    private static void copyIf(JsonNode in, ObjectNode out, String field) {
        if (in.has(field) && !in.get(field).isNull()) {
            out.set(field, in.get(field).deepCopy());
        }
    }

    private String now() {
        return Instant.ofEpochMilli(clock.millis()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String newId(int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }

    private static ObjectNode parse(String doc) {
        try {
            return (ObjectNode) JSON.readTree(doc);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("a stored HTTP API document is not a JSON object", e);
        }
    }

    /** Compiles the API's documents into the deployment the data plane serves (called under the lock). */
    private void redeploy(String apiId) {
        ApiDocs docs = apis.get(apiId);
        generation++;
        var integrations = new LinkedHashMap<String, Deployment.Integration>();
        docs.of(INTEGRATION).forEach((id, i) -> integrations.put(id, new Deployment.Integration(id,
                functionOf(i.get("integrationUri").asText()), i.get("payloadFormatVersion").asText(),
                i.get("timeoutInMillis").asInt(), i.hasNonNull("credentialsArn"))));
        var authorizers = new LinkedHashMap<String, Deployment.Authorizer>();
        docs.of(AUTHORIZER).forEach((id, a) -> {
            var sources = new ArrayList<Deployment.IdentitySource>();
            a.path("identitySource").forEach(s -> sources.add(identitySource(s.asText())));
            authorizers.put(id, new Deployment.Authorizer(id + "@" + generation, id, functionOf(a.get("authorizerUri").asText()),
                    a.get("authorizerPayloadFormatVersion").asText(), a.path("enableSimpleResponses").asBoolean(),
                    List.copyOf(sources), a.path("authorizerResultTtlInSeconds").asInt()));
        });
        var routes = new ArrayList<Deployment.Route>();
        Deployment.Route defaultRoute = null;
        for (ObjectNode r : docs.of(ROUTE).values()) {
            String target = r.path("target").asText("");
            var integration = Optional.ofNullable(target.startsWith("integrations/")
                    ? integrations.get(target.substring("integrations/".length())) : null);
            var authorizer = "CUSTOM".equals(r.path("authorizationType").asText())
                    ? Optional.ofNullable(authorizers.get(r.path("authorizerId").asText())) : Optional.<Deployment.Authorizer>empty();
            var route = new Deployment.Route(r.get("routeId").asText(), RouteKey.parse(r.get("routeKey").asText()),
                    integration, authorizer);
            if (route.key().isDefault()) {
                defaultRoute = route;
            } else {
                routes.add(route);
            }
        }
        routes.sort(Comparator.comparing(rt -> rt.key().text()));
        var stages = new LinkedHashMap<String, Deployment.Stage>();
        docs.of(STAGE).forEach((name, s) -> {
            var vars = new LinkedHashMap<String, String>();
            s.path("stageVariables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
            stages.put(name, new Deployment.Stage(name, Map.copyOf(vars)));
        });
        deployed.put(apiId, new Deployment(apiId, List.copyOf(routes), Optional.ofNullable(defaultRoute), Map.copyOf(stages),
                cors(docs.api.get("corsConfiguration")), docs.api.path("disableExecuteApiEndpoint").asBoolean(false)));
    }

    private static Optional<Deployment.Cors> cors(JsonNode c) {
        if (c == null || !c.isObject()) {
            return Optional.empty();
        }
        java.util.function.Function<String, List<String>> list = f -> {
            var out = new ArrayList<String>();
            c.path(f).forEach(x -> out.add(x.asText()));
            return List.copyOf(out);
        };
        return Optional.of(new Deployment.Cors(list.apply("allowOrigins"), list.apply("allowMethods"),
                list.apply("allowHeaders"), list.apply("exposeHeaders"), c.path("maxAge").asInt(-1),
                c.path("allowCredentials").asBoolean(false)));
    }

    /** CreateApi/UpdateApi's CorsConfiguration: lists of strings, MaxAge -1..86400. */
    private static void checkCors(JsonNode c) {
        if (c == null || c.isNull()) {
            return;
        }
        if (!c.isObject()) {
            throw HttpApiException.badRequest("Invalid CorsConfiguration: an object is expected");
        }
        for (String f : List.of("allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders")) {
            if (c.has(f) && !c.get(f).isArray()) {
                throw HttpApiException.badRequest("Invalid CorsConfiguration: " + f + " must be a list of strings");
            }
        }
        if (c.has("maxAge") && (!c.get("maxAge").canConvertToInt() || c.get("maxAge").asInt() < -1
                || c.get("maxAge").asInt() > 86400)) {
            throw HttpApiException.badRequest("Invalid CorsConfiguration: MaxAge must be between -1 and 86400");
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
