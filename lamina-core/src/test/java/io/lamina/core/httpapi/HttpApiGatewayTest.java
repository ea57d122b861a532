package io.lamina.core.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.permissions.Decision;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The data plane on a hand-written fake of Lamina's functions: what it sends, and how it answers. */
class HttpApiGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:f";
    private static final String AUTH = "arn:aws:lambda:us-east-1:000000000000:function:auth";

    /** Records what was invoked; answers by function; grants what {@code granted} says. */
    private static final class FakeFunctions implements Functions {
        final List<String> invoked = new CopyOnWriteArrayList<>();
        final List<byte[]> events = new CopyOnWriteArrayList<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<byte[]> authEvents = new CopyOnWriteArrayList<>();
        Function<String, Boolean> granted = arn -> true;
        Function<byte[], String> answer = e -> "{\"statusCode\":200,\"body\":\"ok\"}";
        Function<byte[], String> authAnswer = e -> "{\"isAuthorized\":true,\"context\":{\"k\":\"v\"}}";
        long timeoutMillis = 3000;
        long sleepMillis;

        public InvokeResult invoke(String functionArn, byte[] payload, String traceId) {
            invoked.add(functionArn);
            if (functionArn.equals(AUTH)) {
                authEvents.add(payload);
                return ok(authAnswer.apply(payload));
            }
            events.add(payload);
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ok(answer.apply(payload));
        }

        public Decision permits(String functionArn, String sourceArn) {
            asked.add(sourceArn);
            return new Decision(granted.apply(sourceArn), Optional.empty(), "test");
        }

        public long timeoutMillis(String functionArn) {
            return timeoutMillis;
        }

        private static InvokeResult ok(String payload) {
            return new InvokeResult(200, payload.getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(), "$LATEST", "r");
        }
    }

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final HttpApis apis = new HttpApis(HttpApiStore.inMemory(), clock);
    private final FakeFunctions functions = new FakeFunctions();
    private final HttpApiGateway gateway = new HttpApiGateway(apis, functions, clock, "us-east-1", "000000000000");

    private String api(String routeKey, String version, int timeout) {
        String id = apis.createApi(JSON.createObjectNode().put("name", "t").put("protocolType", "HTTP")).get("apiId").asText();
        String integration = apis.createIntegration(id, JSON.createObjectNode().put("integrationType", "AWS_PROXY")
                .put("integrationUri", FN).put("payloadFormatVersion", version).put("timeoutInMillis", timeout))
                .get("integrationId").asText();
        apis.createRoute(id, JSON.createObjectNode().put("routeKey", routeKey).put("target", "integrations/" + integration));
        apis.createStage(id, JSON.createObjectNode().put("stageName", "$default").put("autoDeploy", true));
        return id;
    }

    private static GatewayRequest get(String path, String query, List<Map.Entry<String, String>> headers) {
        return new GatewayRequest("GET", path, query, headers, new byte[0], "10.0.0.1", "HTTP/1.1", "x.execute-api.localhost");
    }

    private static String body(GatewayResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void serve_buildsTheV2EventWithTheGoldenFields_andChecksTheRoutesSourceArn() throws Exception {
        String id = api("GET /items/{id}", "2.0", 30000);
        var r = gateway.serve(id, get("/items/1", "a=1&a=2", List.of(Map.entry("Cookie", "x=1; y=2"),
                Map.entry("X-A", "1"), Map.entry("x-a", "2"))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(functions.asked).containsExactly("arn:aws:execute-api:us-east-1:000000000000:" + id + "/$default/GET/items/{id}");
        JsonNode e = JSON.readTree(functions.events.getFirst());
        JsonNode golden = JSON.readTree(Files.readString(Path.of(System.getProperty("lamina.golden.events",
                "../testdata/golden/events"), "apigw-v2-request-no-authorizer.json")));
        golden.fieldNames().forEachRemaining(f -> assertThat(e.has(f)).as(f).isTrue());
        assertThat(e.path("headers").path("x-a").asText()).isEqualTo("1,2");
        assertThat(e.path("cookies").toString()).isEqualTo("[\"x=1\",\"y=2\"]");
        assertThat(e.path("queryStringParameters").path("a").asText()).isEqualTo("1,2");
        assertThat(e.path("requestContext").path("time").asText()).isEqualTo("14/Nov/2023:22:13:20 +0000");
        assertThat(e.path("requestContext").path("timeEpoch").asLong()).isEqualTo(now.get());
    }

    @Test
    void serve_defaultRoute_usesTheDollarDefaultSourceArn() {
        String id = api("$default", "2.0", 30000);
        gateway.serve(id, get("/any/path", "", List.of()));
        assertThat(functions.asked).containsExactly("arn:aws:execute-api:us-east-1:000000000000:" + id + "/$default/$default");
    }

    @Test
    void serve_whenPolicyDenies_answers500WithoutInvoking() {
        String id = api("GET /x", "2.0", 30000);
        functions.granted = arn -> false;
        var r = gateway.serve(id, get("/x", "", List.of()));
        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r)).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(functions.invoked).isEmpty();
    }

    @Test
    void serve_whenFunctionOutlastsTheIntegrationTimeout_answers503() {
        String id = api("GET /x", "2.0", 100);
        functions.sleepMillis = 1000;
        var r = gateway.serve(id, get("/x", "", List.of()));
        assertThat(r.status()).isEqualTo(503);
        assertThat(body(r)).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void serve_whenRouteIsUnknown_answers404() {
        String id = api("GET /x", "2.0", 30000);
        var r = gateway.serve(id, get("/y", "", List.of()));
        assertThat(r.status()).isEqualTo(404);
        assertThat(body(r)).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(gateway.serve("missing", get("/x", "", List.of())).status()).isEqualTo(404);
    }

    @Test
    void authorizer_answerIsCachedPerIdentityForTheTtl_onTheInjectedClock() {
        String id = api("GET /x", "2.0", 30000);
        String authorizer = apis.createAuthorizer(id, JSON.createObjectNode().put("authorizerType", "REQUEST").put("name", "a")
                .put("authorizerUri", AUTH).put("authorizerPayloadFormatVersion", "2.0").put("enableSimpleResponses", true)
                .put("authorizerResultTtlInSeconds", 60)
                .set("identitySource", JSON.createArrayNode().add("$request.header.token"))).get("authorizerId").asText();
        String route = apis.getRoutes(id).getFirst().get("routeId").asText();
        apis.updateRoute(id, route, JSON.createObjectNode().put("authorizationType", "CUSTOM").put("authorizerId", authorizer));
        var headers = List.of(Map.entry("token", "t1"));
        assertThat(gateway.serve(id, get("/x", "", headers)).status()).isEqualTo(200);
        assertThat(gateway.serve(id, get("/x", "", headers)).status()).isEqualTo(200);
        assertThat(functions.invoked.stream().filter(AUTH::equals).count()).isEqualTo(1);
        assertThat(functions.asked).contains("arn:aws:execute-api:us-east-1:000000000000:" + id + "/authorizers/" + authorizer);
        now.addAndGet(60_000);
        assertThat(gateway.serve(id, get("/x", "", headers)).status()).isEqualTo(200);
        assertThat(functions.invoked.stream().filter(AUTH::equals).count()).isEqualTo(2);
        var updated = apis.updateAuthorizer(id, authorizer, JSON.createObjectNode().put("authorizerResultTtlInSeconds", 120));
        assertThat(updated.get("authorizerResultTtlInSeconds").asInt()).isEqualTo(120);
        assertThat(updated.get("enableSimpleResponses").asBoolean()).isTrue();
        assertThat(gateway.serve(id, get("/x", "", headers)).status()).isEqualTo(200);
        assertThat(functions.invoked.stream().filter(AUTH::equals).count()).as("a changed authorizer starts a fresh cache")
                .isEqualTo(3);
        assertThat(gateway.serve(id, get("/x", "", List.of())).status()).isEqualTo(401);
        functions.authAnswer = e -> "{\"isAuthorized\":false}";
        assertThat(gateway.serve(id, get("/x", "", List.of(Map.entry("token", "t2")))).status()).isEqualTo(403);
        functions.authAnswer = e -> "{\"allowed\":true}";
        assertThat(gateway.serve(id, get("/x", "", List.of(Map.entry("token", "t3")))).status()).isEqualTo(500);
        JsonNode lastEvent;
        try {
            lastEvent = JSON.readTree(functions.events.getLast());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(lastEvent.path("requestContext").path("authorizer").path("lambda").path("k").asText()).isEqualTo("v");
    }

    @Test
    void cors_preflightIsAnsweredByTheGateway_andResponsesGetTheConfiguredHeadersInsteadOfTheFunctions() {
        String id = api("GET /x", "2.0", 30000);
        var cors = JSON.createObjectNode();
        cors.putArray("allowOrigins").add("https://app.example");
        cors.putArray("allowMethods").add("GET").add("POST");
        cors.putArray("allowHeaders").add("x-token");
        cors.putArray("exposeHeaders").add("x-out");
        cors.put("maxAge", 600).put("allowCredentials", true);
        apis.updateApi(id, JSON.createObjectNode().set("corsConfiguration", cors));
        var preflight = gateway.serve(id, new GatewayRequest("OPTIONS", "/anything", "", List.of(
                Map.entry("Origin", "https://app.example"), Map.entry("Access-Control-Request-Method", "POST")),
                new byte[0], "1.2.3.4", "HTTP/1.1", "d"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers()).contains(Map.entry("access-control-allow-origin", "https://app.example"),
                Map.entry("access-control-allow-methods", "GET,POST"), Map.entry("access-control-allow-headers", "x-token"),
                Map.entry("access-control-max-age", "600"), Map.entry("access-control-allow-credentials", "true"));
        assertThat(functions.invoked).isEmpty();

        functions.answer = e -> "{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"*\"},\"body\":\"ok\"}";
        var simple = gateway.serve(id, get("/x", "", List.of(Map.entry("Origin", "https://app.example"))));
        assertThat(simple.headers()).contains(Map.entry("access-control-allow-origin", "https://app.example"),
                Map.entry("access-control-expose-headers", "x-out")).doesNotContain(Map.entry("Access-Control-Allow-Origin", "*"));
        var stranger = gateway.serve(id, get("/x", "", List.of(Map.entry("Origin", "https://evil.example"))));
        assertThat(stranger.headers()).noneMatch(h -> h.getKey().equals("access-control-allow-origin"));
    }

    @Test
    void authorizerEvents_haveTheGoldenFieldsOfBothVersions() throws Exception {
        for (String version : List.of("1.0", "2.0")) {
            String id = api("GET /items/{id}", "2.0", 30000);
            var request = JSON.createObjectNode().put("authorizerType", "REQUEST").put("name", "a")
                    .put("authorizerUri", AUTH).put("authorizerPayloadFormatVersion", version);
            request.set("identitySource", JSON.createArrayNode().add("$request.header.token").add("$request.querystring.q"));
            if (version.equals("2.0")) {
                request.put("enableSimpleResponses", true);
                functions.authAnswer = e -> "{\"isAuthorized\":true}";
            } else {
                functions.authAnswer = e -> "{\"principalId\":\"p\",\"policyDocument\":{\"Version\":\"2012-10-17\","
                        + "\"Statement\":[{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:execute-api:*\"}]}}";
            }
            String authorizer = apis.createAuthorizer(id, request).get("authorizerId").asText();
            String route = apis.getRoutes(id).getFirst().get("routeId").asText();
            apis.updateRoute(id, route, JSON.createObjectNode().put("authorizationType", "CUSTOM").put("authorizerId", authorizer));
            apis.updateStage(id, "$default", JSON.createObjectNode().set("stageVariables", JSON.createObjectNode().put("s", "1")));
            var r = gateway.serve(id, get("/items/9", "q=1", List.of(Map.entry("token", "t"), Map.entry("Cookie", "c=1"))));
            assertThat(r.status()).as(version).isEqualTo(200);
            JsonNode event = JSON.readTree(functions.authEvents.getLast());
            JsonNode golden = JSON.readTree(Files.readString(Path.of(System.getProperty("lamina.golden.events",
                    "../testdata/golden/events"), "apigw-v2-custom-authorizer-v" + version.charAt(0) + "-request.json")));
            golden.fieldNames().forEachRemaining(f -> assertThat(event.has(f)).as(version + " " + f).isTrue());
            String routeArn = "arn:aws:execute-api:us-east-1:000000000000:" + id + "/$default/GET/items/9";
            if (version.equals("2.0")) {
                assertThat(event.path("routeArn").asText()).isEqualTo(routeArn);
                assertThat(event.path("identitySource").toString()).isEqualTo("[\"t\",\"1\"]");
            } else {
                assertThat(event.path("methodArn").asText()).isEqualTo(routeArn);
                assertThat(event.path("identitySource").asText()).isEqualTo("t,1");
                assertThat(event.path("authorizationToken").asText()).isEqualTo("t,1");
            }
            assertThat(event.path("type").asText()).isEqualTo("REQUEST");
        }
    }

    @Test
    void integrationUri_withAStageVariable_invokesWhatTheStageNames() {
        String id = apis.createApi(JSON.createObjectNode().put("name", "t").put("protocolType", "HTTP")).get("apiId").asText();
        String integration = apis.createIntegration(id, JSON.createObjectNode().put("integrationType", "AWS_PROXY")
                .put("integrationUri", FN + ":${stageVariables.alias}").put("payloadFormatVersion", "2.0"))
                .get("integrationId").asText();
        apis.createRoute(id, JSON.createObjectNode().put("routeKey", "GET /x").put("target", "integrations/" + integration));
        apis.createStage(id, JSON.createObjectNode().put("stageName", "prod")
                .set("stageVariables", JSON.createObjectNode().put("alias", "live")));
        apis.createStage(id, JSON.createObjectNode().put("stageName", "bare"));
        assertThat(gateway.serve(id, get("/prod/x", "", List.of())).status()).isEqualTo(200);
        assertThat(functions.invoked).containsExactly(FN + ":live");
        assertThat(gateway.serve(id, get("/bare/x", "", List.of())).status()).isEqualTo(500);
        assertThat(functions.invoked).hasSize(1);
    }

    @Test
    void serve_whenTheExecuteApiEndpointIsDisabled_answers403() {
        String id = api("GET /x", "2.0", 30000);
        apis.updateApi(id, JSON.createObjectNode().put("disableExecuteApiEndpoint", true));
        var r = gateway.serve(id, get("/x", "", List.of()));
        assertThat(r.status()).isEqualTo(403);
        assertThat(body(r)).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void registry_reloadsItsDocumentsFromTheStore() {
        var store = HttpApiStore.inMemory();
        var first = new HttpApis(store, clock);
        String id = first.createApi(JSON.createObjectNode().put("name", "q").put("protocolType", "HTTP").put("target", FN))
                .get("apiId").asText();
        var again = new HttpApis(store, clock);
        assertThat(again.getApi(id)).isEqualTo(first.getApi(id));
        assertThat(again.deployment(id).orElseThrow().defaultRoute()).isPresent();
        assertThat(again.deployment(id).orElseThrow().stages()).containsKey("$default");
        assertThat(new ArrayList<>(again.getRoutes(id))).isEqualTo(first.getRoutes(id));
    }
}
