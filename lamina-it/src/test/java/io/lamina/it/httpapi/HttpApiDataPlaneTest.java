package io.lamina.it.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests through HTTP API routes to real functions (Node.js, and Java handlers taking the typed
 * events of aws-lambda-java-events), configured with the SDK and called with Java's HttpClient and curl.
 */
class HttpApiDataPlaneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LaminaFixture lamina;
    private static ApiGatewayV2Client apigw;
    private static String apiId;
    private static String base;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        apigw = HttpApis.client(lamina.endpoint());
        HttpApis.node(lamina, "dp-echo", HttpApis.NODE_ECHO);
        HttpApis.node(lamina, "dp-binary", """
                exports.handler = async (event) => ({
                  statusCode: 200,
                  headers: {'content-type': 'application/octet-stream', 'x-was-base64': String(event.isBase64Encoded)},
                  body: event.isBase64Encoded ? event.body : Buffer.from(event.body || '').toString('base64'),
                  isBase64Encoded: true,
                });
                """);
        HttpApis.node(lamina, "dp-size", """
                exports.handler = async (event) => ({length: event.body.length, isBase64Encoded: event.isBase64Encoded});
                """);
        HttpApis.node(lamina, "dp-fail", "exports.handler = async () => { throw new Error('boom'); };");
        HttpApis.node(lamina, "dp-string", "exports.handler = async () => 'just a string';");
        HttpApis.node(lamina, "dp-nogrant", HttpApis.NODE_ECHO);
        HttpApis.node(lamina, "dp-role", HttpApis.NODE_ECHO);
        lamina.create(b -> b.functionName("dp-slow").runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(10)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Functions.node(
                        "exports.handler = async () => { await new Promise(r => setTimeout(r, 3000)); return 'late'; };")))));
        byte[] java = Functions.javaWithEvents();
        lamina.create(b -> b.functionName("dp-java-v2").runtime(Runtime.JAVA21).memorySize(512)
                .handler("io.lamina.testfunctions.HttpApiV2EventHandler::handleRequest").timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(java))));
        lamina.create(b -> b.functionName("dp-java-v1").runtime(Runtime.JAVA21).memorySize(512)
                .handler("io.lamina.testfunctions.HttpApiV1EventHandler::handleRequest").timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(java))));

        apiId = apigw.createApi(r -> r.name("dp").protocolType(ProtocolType.HTTP)).apiId();
        route("GET /items/{id}", "dp-echo", "2.0", 30000);
        route("GET /items/special", "dp-echo", "2.0", 30000);
        route("ANY /{proxy+}", "dp-echo", "2.0", 30000);
        route("$default", "dp-echo", "2.0", 30000);
        route("GET /v1/{id}", "dp-echo", "1.0", 30000);
        route("GET /java/v2/{id}", "dp-java-v2", "2.0", 30000);
        route("POST /java/v1/{proxy+}", "dp-java-v1", "1.0", 30000);
        route("POST /binary", "dp-binary", "2.0", 30000);
        route("POST /size", "dp-size", "2.0", 30000);
        route("GET /fail", "dp-fail", "2.0", 30000);
        route("GET /string1", "dp-string", "1.0", 30000);
        route("GET /string2", "dp-string", "2.0", 30000);
        route("GET /slow", "dp-slow", "2.0", 1000);
        route("GET /nogrant", "dp-nogrant", "2.0", 30000);
        apigw.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        apigw.createStage(r -> r.apiId(apiId).stageName("prod").autoDeploy(true)
                .stageVariables(Map.of("color", "blue", "size", "xl")));
        for (String fn : List.of("dp-echo", "dp-binary", "dp-size", "dp-fail", "dp-string", "dp-slow", "dp-java-v2", "dp-java-v1")) {
            HttpApis.grant(lamina, fn, apiId);
        }
        base = lamina.endpoint() + "/_api/" + apiId;
    }

    private static void route(String key, String function, String version, int timeout) {
        String integrationId = apigw.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn(function)).payloadFormatVersion(version)
                .timeoutInMillis(timeout)).integrationId();
        apigw.createRoute(r -> r.apiId(apiId).routeKey(key).target("integrations/" + integrationId));
    }

    @AfterAll
    static void stop() {
        apigw.close();
        lamina.close();
    }

    private static JsonNode echo(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HttpApis.get(base + pathAndQuery);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void routeSelection_prefersTheMostSpecificPath_thenGreedy_thenDefault() throws Exception {
        assertThat(echo("/items/special").path("routeKey").asText()).isEqualTo("GET /items/special");
        JsonNode item = echo("/items/42");
        assertThat(item.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(item.path("pathParameters").path("id").asText()).isEqualTo("42");
        JsonNode greedy = echo("/items/42/parts/7");
        assertThat(greedy.path("routeKey").asText()).isEqualTo("ANY /{proxy+}");
        assertThat(greedy.path("pathParameters").path("proxy").asText()).isEqualTo("items/42/parts/7");
        HttpResponse<String> delete = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/items/42")).DELETE());
        assertThat(JSON.readTree(delete.body()).path("routeKey").asText()).isEqualTo("ANY /{proxy+}");
        HttpResponse<String> head = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/items/42"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        JsonNode root = echo("/");
        assertThat(root.path("routeKey").asText()).isEqualTo("$default");
        assertThat(root.has("pathParameters")).isFalse();
    }

    @Test
    void payload20_eventHasEveryFieldAwsSends_cookiesSplit_headersAndQueryJoinedWithCommas() throws Exception {
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/items/7?a=1&a=2&b=x%20y&empty="))
                .header("Cookie", "c1=v1; c2=v2").header("X-Multi", "one").header("X-Multi", "two")
                .header("User-Agent", "lamina-test/1.0"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode e = JSON.readTree(r.body());
        JsonNode golden = golden("apigw-v2-request-no-authorizer.json");
        assertThat(fieldNames(e)).containsAll(fieldNames(golden));
        var goldenContext = new ArrayList<>(fieldNames(golden.get("requestContext")));
        goldenContext.remove("authentication"); // mutual TLS only
        assertThat(fieldNames(e.get("requestContext"))).containsAll(goldenContext);
        assertThat(fieldNames(e.get("requestContext").get("http"))).containsAll(fieldNames(golden.get("requestContext").get("http")));

        assertThat(e.path("version").asText()).isEqualTo("2.0");
        assertThat(e.path("rawPath").asText()).isEqualTo("/items/7");
        assertThat(e.path("rawQueryString").asText()).isEqualTo("a=1&a=2&b=x%20y&empty=");
        assertThat(e.path("cookies")).extracting(JsonNode::asText).containsExactly("c1=v1", "c2=v2");
        assertThat(e.path("headers").has("cookie")).isFalse();
        assertThat(e.path("headers").path("x-multi").asText()).isEqualTo("one,two");
        assertThat(e.path("headers").path("user-agent").asText()).isEqualTo("lamina-test/1.0");
        assertThat(e.path("headers").path("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("queryStringParameters").path("a").asText()).isEqualTo("1,2");
        assertThat(e.path("queryStringParameters").path("b").asText()).isEqualTo("x y");
        assertThat(e.path("queryStringParameters").path("empty").asText()).isEmpty();
        assertThat(e.path("isBase64Encoded").asBoolean(true)).isFalse();
        assertThat(e.has("body")).isFalse();
        JsonNode rc = e.get("requestContext");
        assertThat(rc.path("accountId").asText()).isEqualTo("000000000000");
        assertThat(rc.path("apiId").asText()).isEqualTo(apiId);
        assertThat(rc.path("domainName").asText()).isEqualTo(apiId + ".execute-api.localhost");
        assertThat(rc.path("domainPrefix").asText()).isEqualTo(apiId);
        assertThat(rc.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(rc.path("stage").asText()).isEqualTo("$default");
        assertThat(rc.path("requestId").asText()).isEqualTo(r.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(rc.path("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(rc.path("timeEpoch").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(rc.path("http").path("method").asText()).isEqualTo("GET");
        assertThat(rc.path("http").path("path").asText()).isEqualTo("/items/7");
        assertThat(rc.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(rc.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(rc.path("http").path("userAgent").asText()).isEqualTo("lamina-test/1.0");
    }

    @Test
    void namedStage_isThePathsFirstSegment_withItsStageVariables() throws Exception {
        JsonNode e = echo("/prod/items/9");
        assertThat(e.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(e.path("rawPath").asText()).isEqualTo("/prod/items/9");
        assertThat(e.path("requestContext").path("stage").asText()).isEqualTo("prod");
        assertThat(e.path("stageVariables").path("color").asText()).isEqualTo("blue");
        assertThat(e.path("stageVariables").path("size").asText()).isEqualTo("xl");
        assertThat(echo("/items/9").has("stageVariables")).isFalse();
    }

    @Test
    void payload10_eventHasMultiValueFields_asRestProxyEvents() throws Exception {
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/v1/5?q=1&q=2"))
                .header("X-Multi", "one").header("X-Multi", "two"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode e = JSON.readTree(r.body());
        var goldenFields = new ArrayList<>(fieldNames(golden("apigw-request.json")));
        assertThat(fieldNames(e)).containsAll(goldenFields).contains("isBase64Encoded", "version");
        var contextFields = new ArrayList<>(fieldNames(golden("apigw-request.json").get("requestContext")));
        assertThat(fieldNames(e.get("requestContext"))).containsAll(contextFields);
        assertThat(e.path("version").asText()).isEqualTo("1.0");
        assertThat(e.path("resource").asText()).isEqualTo("/v1/{id}");
        assertThat(e.path("path").asText()).isEqualTo("/v1/5");
        assertThat(e.path("httpMethod").asText()).isEqualTo("GET");
        assertThat(e.path("queryStringParameters").path("q").asText()).isEqualTo("2");
        assertThat(e.path("multiValueQueryStringParameters").path("q")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(e.path("pathParameters").path("id").asText()).isEqualTo("5");
        assertThat(e.path("stageVariables").isNull()).isTrue();
        assertThat(e.path("body").isNull()).isTrue();
        JsonNode multi = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = e.path("multiValueHeaders").fields(); it.hasNext(); ) {
            var h = it.next();
            if (h.getKey().equalsIgnoreCase("x-multi")) {
                multi = h.getValue();
            }
        }
        assertThat(multi).extracting(JsonNode::asText).containsExactly("one", "two");
        JsonNode rc = e.get("requestContext");
        assertThat(rc.path("authorizer").has("claims")).isTrue(); // {"claims":null,"scopes":null} without an authorizer
        assertThat(rc.path("resourcePath").asText()).isEqualTo("/v1/{id}");
        assertThat(rc.path("resourceId").asText()).isEqualTo("GET /v1/{id}");
        assertThat(rc.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(rc.path("requestTimeEpoch").asLong()).isPositive();
    }

    @Test
    void javaHandler_withApiGatewayV2HttpEvent_seesEveryField_andItsResponseIsApplied() throws Exception {
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/prod/java/v2/abc?x=1&x=2"))
                .header("Cookie", "session=s1; theme=dark").header("User-Agent", "typed/2"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("x-handler")).hasValue("java-v2");
        assertThat(r.headers().allValues("set-cookie")).containsExactly("seen=yes; Path=/", "flavour=v2");
        JsonNode seen = JSON.readTree(r.body());
        assertThat(seen.path("version").asText()).isEqualTo("2.0");
        assertThat(seen.path("routeKey").asText()).isEqualTo("GET /java/v2/{id}");
        assertThat(seen.path("rawPath").asText()).isEqualTo("/prod/java/v2/abc");
        assertThat(seen.path("rawQueryString").asText()).isEqualTo("x=1&x=2");
        assertThat(seen.path("cookies")).extracting(JsonNode::asText).containsExactly("session=s1", "theme=dark");
        assertThat(seen.path("headers").path("user-agent").asText()).isEqualTo("typed/2");
        assertThat(seen.path("queryStringParameters").path("x").asText()).isEqualTo("1,2");
        assertThat(seen.path("pathParameters").path("id").asText()).isEqualTo("abc");
        assertThat(seen.path("stageVariables").path("color").asText()).isEqualTo("blue");
        assertThat(seen.path("isBase64Encoded").asBoolean(true)).isFalse();
        JsonNode rc = seen.path("requestContext");
        for (String f : List.of("routeKey", "accountId", "stage", "apiId", "domainName", "domainPrefix", "time", "requestId")) {
            assertThat(rc.path(f).asText()).as(f).isNotEmpty();
        }
        assertThat(rc.path("timeEpoch").asLong()).isPositive();
        assertThat(rc.path("stage").asText()).isEqualTo("prod");
        assertThat(rc.path("http").path("method").asText()).isEqualTo("GET");
        assertThat(rc.path("http").path("path").asText()).isEqualTo("/prod/java/v2/abc");
        assertThat(rc.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(rc.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(rc.path("http").path("userAgent").asText()).isEqualTo("typed/2");
    }

    @Test
    void javaHandler_withApiGatewayProxyRequestEvent_seesEveryField_andMultiValueHeadersComeBack() throws Exception {
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/java/v1/a/b?k=1&k=2"))
                .header("Content-Type", "application/json").header("User-Agent", "typed/1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"world\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.headers().allValues("x-handler")).containsExactly("java-v1", "typed");
        JsonNode seen = JSON.readTree(r.body());
        assertThat(seen.path("version").asText()).isEqualTo("1.0");
        assertThat(seen.path("resource").asText()).isEqualTo("/java/v1/{proxy+}");
        assertThat(seen.path("path").asText()).isEqualTo("/java/v1/a/b");
        assertThat(seen.path("httpMethod").asText()).isEqualTo("POST");
        assertThat(seen.path("body").asText()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(seen.path("isBase64Encoded").asBoolean(true)).isFalse();
        assertThat(seen.path("queryStringParameters").path("k").asText()).isEqualTo("2");
        assertThat(seen.path("multiValueQueryStringParameters").path("k")).extracting(JsonNode::asText).containsExactly("1", "2");
        assertThat(seen.path("pathParameters").path("proxy").asText()).isEqualTo("a/b");
        assertThat(seen.path("headers").size()).isPositive();
        assertThat(seen.path("multiValueHeaders").size()).isPositive();
        JsonNode rc = seen.path("requestContext");
        for (String f : List.of("accountId", "apiId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod",
                "path", "protocol", "requestId", "requestTime", "resourceId", "resourcePath", "stage", "sourceIp", "userAgent")) {
            assertThat(rc.path(f).asText()).as(f).isNotEmpty();
        }
        assertThat(rc.path("requestTimeEpoch").asLong()).isPositive();
        assertThat(rc.path("userAgent").asText()).isEqualTo("typed/1");
    }

    @Test
    void binaryBody_arrivesBase64Encoded_andABase64ResponseIsDecoded() throws Exception {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        HttpResponse<byte[]> r = HttpApis.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/binary"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-was-base64")).hasValue("true");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(r.body()).isEqualTo(bytes);

        HttpResponse<byte[]> text = HttpApis.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/binary"))
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString("héllo"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(text.headers().firstValue("x-was-base64")).hasValue("false");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("héllo");
    }

    @Test
    void largeBody_ofFiveMegabytes_reachesTheFunction_andABareObjectAnswerIs200Json() throws Exception {
        String body = "x".repeat(5 * 1024 * 1024);
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(base + "/size"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("length").asInt()).isEqualTo(body.length());
        assertThat(answer.path("isBase64Encoded").asBoolean(true)).isFalse();
    }

    @Test
    void bareString_is200JsonWithPayload20_butMalformedWithPayload10() throws Exception {
        HttpResponse<String> v2 = HttpApis.get(base + "/string2");
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(v2.body()).isEqualTo("\"just a string\"");
        assertThat(v2.headers().firstValue("content-type")).hasValue("application/json");
        HttpResponse<String> v1 = HttpApis.get(base + "/string1");
        assertThat(v1.statusCode()).isEqualTo(500);
        assertThat(v1.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void functionError_answers500InternalServerError() throws Exception {
        HttpResponse<String> r = HttpApis.get(base + "/fail");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
    }

    @Test
    void integrationTimeout_answers503ServiceUnavailable() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = HttpApis.get(base + "/slow");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
        assertThat(ms).isLessThan(2900);
    }

    @Test
    void missingPermission_answers500_andTheLogNamesTheGrant() throws Exception {
        HttpResponse<String> r = HttpApis.get(base + "/nogrant");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        // A grant scoped to the route's source ARN lets it through.
        lamina.lambda().addPermission(p -> p.functionName("dp-nogrant").statementId("route")
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com").sourceAccount("000000000000")
                .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/*/GET/nogrant"));
        assertThat(HttpApis.get(base + "/nogrant").statusCode()).isEqualTo(200);
    }

    @Test
    void integrationWithCredentialsArn_invokesAsTheRole_withoutAResourcePolicy() throws Exception {
        var integration = apigw.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("dp-role")).payloadFormatVersion("2.0")
                .credentialsArn("arn:aws:iam::000000000000:role/apigw-invoker"));
        assertThat(integration.credentialsArn()).isEqualTo("arn:aws:iam::000000000000:role/apigw-invoker");
        apigw.createRoute(r -> r.apiId(apiId).routeKey("GET /asrole").target("integrations/" + integration.integrationId()));

        HttpResponse<String> r = HttpApis.get(base + "/asrole");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("routeKey").asText()).isEqualTo("GET /asrole");
        assertThatThrownBy(() -> apigw.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("dp-role")).credentialsArn("arn:aws:iam::*:user/*")))
                .isInstanceOf(software.amazon.awssdk.services.apigatewayv2.model.BadRequestException.class);
    }

    @Test
    void unknownRouteOrApi_answers404NotFound() throws Exception {
        String other = apigw.createApi(r -> r.name("no-default").protocolType(ProtocolType.HTTP)).apiId();
        String integrationId = apigw.createIntegration(r -> r.apiId(other).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("dp-echo")).payloadFormatVersion("2.0")).integrationId();
        apigw.createRoute(r -> r.apiId(other).routeKey("GET /only").target("integrations/" + integrationId));
        HttpResponse<String> noStage = HttpApis.get(lamina.endpoint() + "/_api/" + other + "/only");
        assertThat(noStage.statusCode()).isEqualTo(404);
        apigw.createStage(r -> r.apiId(other).stageName("$default").autoDeploy(true));
        HttpApis.grant(lamina, "dp-echo", other);
        assertThat(HttpApis.get(lamina.endpoint() + "/_api/" + other + "/only").statusCode()).isEqualTo(200);
        HttpResponse<String> post = HttpApis.send(HttpRequest.newBuilder(URI.create(lamina.endpoint() + "/_api/" + other + "/only"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(HttpApis.get(lamina.endpoint() + "/_api/" + other + "/elsewhere").statusCode()).isEqualTo(404);
        assertThat(HttpApis.get(lamina.endpoint() + "/_api/nosuchapi0/x").body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void curl_reachesTheApiByItsExecuteApiHost_andByPath() throws Exception {
        int port = lamina.server().port();
        Process p = new ProcessBuilder("curl", "-sS", "-i", "-H", "Host: " + apiId + ".execute-api.localhost:" + port,
                "-b", "k=v", "http://127.0.0.1:" + port + "/items/curl?via=host").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("HTTP/1.1 200").containsIgnoringCase("apigw-requestid:");
        JsonNode e = JSON.readTree(out.substring(out.indexOf("\r\n\r\n") + 4));
        assertThat(e.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(e.path("requestContext").path("domainName").asText()).isEqualTo(apiId + ".execute-api.localhost");
        assertThat(e.path("cookies")).extracting(JsonNode::asText).containsExactly("k=v");
        assertThat(e.path("queryStringParameters").path("via").asText()).isEqualTo("host");

        Process q = new ProcessBuilder("curl", "-sS", "-X", "PUT", "--data-binary", "@-", "-H", "Content-Type: application/json",
                base + "/things/1").redirectErrorStream(true).start();
        q.getOutputStream().write("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        q.getOutputStream().close();
        String body = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode put = JSON.readTree(body);
        assertThat(put.path("requestContext").path("http").path("method").asText()).isEqualTo("PUT");
        assertThat(put.path("body").asText()).isEqualTo("{\"n\":1}");
    }

    @Test
    void corsConfiguration_answersPreflightWithCurl_andDecoratesResponses() throws Exception {
        var api = apigw.createApi(r -> r.name("cors").protocolType(ProtocolType.HTTP).target(HttpApis.functionArn("dp-echo"))
                .corsConfiguration(c -> c.allowOrigins("https://app.example").allowMethods("GET", "PUT")
                        .allowHeaders("x-token").maxAge(300)));
        assertThat(apigw.getApi(r -> r.apiId(api.apiId())).corsConfiguration().allowOrigins()).containsExactly("https://app.example");
        HttpApis.grant(lamina, "dp-echo", api.apiId());
        Process p = new ProcessBuilder("curl", "-sS", "-i", "-X", "OPTIONS", "-H", "Origin: https://app.example",
                "-H", "Access-Control-Request-Method: PUT", api.apiEndpoint() + "/things").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("http/1.1 204").contains("access-control-allow-origin: https://app.example")
                .contains("access-control-allow-methods: get,put").contains("access-control-allow-headers: x-token")
                .contains("access-control-max-age: 300");
        HttpResponse<String> r = HttpApis.send(HttpRequest.newBuilder(URI.create(api.apiEndpoint() + "/things"))
                .header("Origin", "https://app.example"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        apigw.deleteCorsConfiguration(c -> c.apiId(api.apiId()));
        assertThat(apigw.getApi(c -> c.apiId(api.apiId())).corsConfiguration()).isNull();
        HttpResponse<String> plain = HttpApis.send(HttpRequest.newBuilder(URI.create(api.apiEndpoint() + "/things"))
                .header("Origin", "https://app.example"));
        assertThat(plain.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    static JsonNode golden(String name) throws Exception {
        Path dir = Path.of(System.getProperty("lamina.golden", "../testdata/golden"), "events");
        return JSON.readTree(Files.readString(dir.resolve(name)));
    }

    static List<String> fieldNames(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
