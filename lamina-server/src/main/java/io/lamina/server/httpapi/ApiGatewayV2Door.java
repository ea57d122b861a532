package io.lamina.server.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.Lamina;
import io.lamina.core.http.RequestBodies;
import io.lamina.core.httpapi.HttpApiException;
import io.lamina.core.httpapi.HttpApis;
import io.lamina.core.invoke.RequestIds;
import io.lamina.server.FrontDoor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code apigatewayv2} control API (REST-JSON, {@code /v2/apis/...}) for HTTP APIs: routes a
 * request to its operation on {@link HttpApis}, renders the answer, and errors as API Gateway does
 * ({@code {"message": ...}} with {@code x-amzn-ErrorType}).
 */
public final class ApiGatewayV2Door implements FrontDoor {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayV2Door.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HeaderName ERROR_TYPE = HeaderNames.create("x-amzn-ErrorType");
    private static final HeaderName REQUEST_ID = HeaderNames.create("x-amzn-RequestId");
    private static final long MAX_REQUEST = 6 * 1024 * 1024;
    private static final String PREFIX = "/v2/apis";
    private static final String TAGS = "/v2/tags/";

    private final Lamina lamina;
    private final HttpApis apis;

    public ApiGatewayV2Door(Lamina lamina) {
        this.lamina = lamina;
        this.apis = lamina.httpApis();
    }

    @Override
    public boolean claims(ServerRequest req) {
        String p = req.path().rawPath();
        return p.startsWith(TAGS) || p.startsWith(PREFIX) && (p.length() == PREFIX.length() || p.charAt(PREFIX.length()) == '/');
    }

    private record Reply(int status, JsonNode body) {
    }

    @Override
    public void serve(ServerRequest req, ServerResponse res) {
        res.header(REQUEST_ID, RequestIds.next());
        Reply reply;
        try {
            reply = dispatch(req);
        } catch (HttpApiException e) {
            res.header(ERROR_TYPE, e.type().name());
            reply = new Reply(e.type().status(), JSON.createObjectNode().put("message", e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.error("apigatewayv2 {} {} failed", req.prologue().method().text(), req.path().rawPath(), e);
            res.header(ERROR_TYPE, "InternalServerErrorException");
            reply = new Reply(500, JSON.createObjectNode().put("message", "Lamina failed to process the request; see the server log."));
        }
        res.status(Status.create(reply.status()));
        if (reply.body() == null) {
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(reply.body().toString().getBytes(StandardCharsets.UTF_8));
    }

    private Reply dispatch(ServerRequest req) throws IOException {
        String method = req.prologue().method().text();
        if (req.path().rawPath().startsWith(TAGS)) {
            return tags(req, method);
        }
        String[] p = segments(req.path().rawPath().substring(PREFIX.length()));
        String base = endpointBase(req);
        if (p.length == 0) {
            return switch (method) {
                case "POST" -> new Reply(201, withEndpoint(apis.createApi(body(req)), base));
                case "GET" -> new Reply(200, page(apis.getApis().stream().map(a -> withEndpoint(a, base)).toList(), req));
                default -> throw unknown(method, req);
            };
        }
        String apiId = p[0];
        if (p.length == 1) {
            return switch (method) {
                case "GET" -> new Reply(200, withEndpoint(apis.getApi(apiId), base));
                case "PATCH" -> new Reply(200, withEndpoint(apis.updateApi(apiId, body(req)), base));
                case "DELETE" -> {
                    apis.deleteApi(apiId);
                    yield new Reply(204, null);
                }
                default -> throw unknown(method, req);
            };
        }
        String kind = p[1];
        if (p.length == 2) {
            return switch (kind + " " + method) {
                case "routes POST" -> new Reply(201, apis.createRoute(apiId, body(req)));
                case "routes GET" -> new Reply(200, page(apis.getRoutes(apiId), req));
                case "integrations POST" -> new Reply(201, apis.createIntegration(apiId, body(req)));
                case "integrations GET" -> new Reply(200, page(apis.getIntegrations(apiId), req));
                case "stages POST" -> new Reply(201, apis.createStage(apiId, body(req)));
                case "stages GET" -> new Reply(200, page(apis.getStages(apiId), req));
                case "authorizers POST" -> new Reply(201, apis.createAuthorizer(apiId, body(req)));
                case "authorizers GET" -> new Reply(200, page(apis.getAuthorizers(apiId), req));
                case "cors DELETE" -> deleted(() -> apis.deleteCorsConfiguration(apiId));
                case "deployments POST" -> new Reply(201, apis.createDeployment(apiId, body(req)));
                case "deployments GET" -> new Reply(200, page(apis.getDeployments(apiId), req));
                default -> throw unknown(method, req);
            };
        }
        if (p.length == 3) {
            String id = p[2];
            return switch (kind + " " + method) {
                case "routes GET" -> new Reply(200, apis.getRoute(apiId, id));
                case "routes PATCH" -> new Reply(200, apis.updateRoute(apiId, id, body(req)));
                case "routes DELETE" -> deleted(() -> apis.deleteRoute(apiId, id));
                case "integrations GET" -> new Reply(200, apis.getIntegration(apiId, id));
                case "integrations PATCH" -> new Reply(200, apis.updateIntegration(apiId, id, body(req)));
                case "integrations DELETE" -> deleted(() -> apis.deleteIntegration(apiId, id));
                case "stages GET" -> new Reply(200, apis.getStage(apiId, id));
                case "stages PATCH" -> new Reply(200, apis.updateStage(apiId, id, body(req)));
                case "stages DELETE" -> deleted(() -> apis.deleteStage(apiId, id));
                case "authorizers GET" -> new Reply(200, apis.getAuthorizer(apiId, id));
                case "authorizers PATCH" -> new Reply(200, apis.updateAuthorizer(apiId, id, body(req)));
                case "authorizers DELETE" -> deleted(() -> apis.deleteAuthorizer(apiId, id));
                case "deployments GET" -> new Reply(200, apis.getDeployment(apiId, id));
                case "deployments DELETE" -> deleted(() -> apis.deleteDeployment(apiId, id));
                default -> throw unknown(method, req);
            };
        }
        throw unknown(method, req);
    }

    /** GetTags, TagResource, UntagResource on {@code /v2/tags/{resource-arn}}. */
    private Reply tags(ServerRequest req, String method) throws IOException {
        String[] p = segments(req.path().rawPath().substring(TAGS.length() - 1));
        if (p.length != 1) {
            throw unknown(method, req);
        }
        String arn = p[0];
        return switch (method) {
            case "GET" -> new Reply(200, JSON.createObjectNode().set("tags", apis.tags(arn)));
            case "POST" -> {
                apis.tag(arn, body(req).get("tags"));
                yield new Reply(201, null);
            }
            case "DELETE" -> {
                var keys = new java.util.ArrayList<String>();
                String raw = req.query().rawValue();
                for (String pair : raw == null || raw.isEmpty() ? new String[0] : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).equals("tagKeys")) {
                        keys.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                apis.untag(arn, keys);
                yield new Reply(204, null);
            }
            default -> throw unknown(method, req);
        };
    }

    private static Reply deleted(Runnable r) {
        r.run();
        return new Reply(204, null);
    }

    /** The API's URL as the caller reaches Lamina: {@code http://host:port/_api/{apiId}}. */
    private String endpointBase(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST)
                .orElse(lamina.config().host() + ":" + lamina.config().port());
        return "http://" + host + HttpApiDoor.PATH_PREFIX;
    }

    private static ObjectNode withEndpoint(ObjectNode api, String base) {
        ObjectNode out = JSON.createObjectNode();
        out.put("apiEndpoint", base + api.get("apiId").asText());
        out.setAll(api);
        return out;
    }

    /** {@code items} and {@code nextToken} (the index of the next item) as the Get* list operations answer. */
    private static ObjectNode page(List<? extends JsonNode> items, ServerRequest req) {
        int start = 0;
        int max = Integer.MAX_VALUE;
        String raw = req.query().rawValue();
        try {
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("nextToken")) {
                    start = Integer.parseInt(v);
                } else if (k.equals("maxResults")) {
                    max = Integer.parseInt(v);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new HttpApiException(HttpApiException.Type.BadRequestException, "Invalid nextToken or maxResults");
        }
        if (start < 0 || start > items.size() || max < 1) {
            throw new HttpApiException(HttpApiException.Type.BadRequestException, "Invalid nextToken or maxResults");
        }
        int end = (int) Math.min(items.size(), (long) start + max);
        ObjectNode out = JSON.createObjectNode();
        var arr = out.putArray("items");
        items.subList(start, end).forEach(arr::add);
        if (end < items.size()) {
            out.put("nextToken", Integer.toString(end));
        }
        return out;
    }

    private static JsonNode body(ServerRequest req) throws IOException {
        byte[] bytes = RequestBodies.read(req, MAX_REQUEST);
        if (bytes.length > MAX_REQUEST) {
            throw new HttpApiException(HttpApiException.Type.BadRequestException, "Request body too large");
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new HttpApiException(HttpApiException.Type.BadRequestException, "Invalid request body: a JSON object is expected");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpApiException(HttpApiException.Type.BadRequestException, "Invalid request body: it is not JSON");
        }
    }

    private static String[] segments(String rest) {
        if (rest.isEmpty() || rest.equals("/")) {
            return new String[0];
        }
        String[] parts = rest.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static HttpApiException unknown(String method, ServerRequest req) {
        return new HttpApiException(HttpApiException.Type.NotFoundException,
                "Lamina does not serve " + method + " " + req.path().rawPath() + " of the apigatewayv2 API");
    }
}
