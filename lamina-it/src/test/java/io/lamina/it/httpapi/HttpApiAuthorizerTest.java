package io.lamina.it.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Lambda REQUEST authorizers of HTTP APIs: simple and IAM-policy answers, identity sources, caching by TTL, grants. */
class HttpApiAuthorizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The system clock plus an offset the test moves forward: the authorizer cache's TTL runs on it. */
    private static final AtomicLong SKEW = new AtomicLong();
    private static final Clock CLOCK = new Clock() {
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.now().plusMillis(SKEW.get());
        }
    };
    private static LaminaFixture lamina;
    private static ApiGatewayV2Client apigw;
    private static String apiId;
    private static String base;
    private static String simpleId;
    private static String iamId;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start(c -> c, CLOCK);
        apigw = HttpApis.client(lamina.endpoint());
        HttpApis.node(lamina, "az-echo", HttpApis.NODE_ECHO);
        HttpApis.node(lamina, "az-simple", """
                let calls = 0;
                exports.handler = async (e) => {
                  calls++;
                  const token = e.headers.authorization;
                  return {isAuthorized: token.startsWith('allow'),
                          context: {calls, token, routeArn: e.routeArn, identitySource: e.identitySource, type: e.type,
                                    version: e.version, nested: {ok: true}}};
                };
                """);
        HttpApis.node(lamina, "az-iam", """
                let calls = 0;
                exports.handler = async (e) => {
                  calls++;
                  const token = e.headers.authorization || e.headers.Authorization;
                  return {principalId: 'user-' + token,
                          policyDocument: {Version: '2012-10-17', Statement: [
                            {Action: 'execute-api:Invoke', Effect: token === 'allow' ? 'Allow' : 'Deny', Resource: e.methodArn}]},
                          context: {calls, type: e.type, version: e.version, methodArn: e.methodArn, identitySource: e.identitySource}};
                };
                """);
        HttpApis.node(lamina, "az-ungranted", "exports.handler = async () => ({isAuthorized: true});");
        apiId = apigw.createApi(r -> r.name("auth").protocolType(ProtocolType.HTTP)).apiId();
        simpleId = apigw.createAuthorizer(r -> r.apiId(apiId).name("simple").authorizerType("REQUEST")
                .authorizerUri(HttpApis.functionArn("az-simple")).authorizerPayloadFormatVersion("2.0")
                .enableSimpleResponses(true).identitySource("$request.header.Authorization")
                .authorizerResultTtlInSeconds(300)).authorizerId();
        iamId = apigw.createAuthorizer(r -> r.apiId(apiId).name("iam").authorizerType("REQUEST")
                .authorizerUri(HttpApis.functionArn("az-iam")).authorizerPayloadFormatVersion("1.0")
                .identitySource("$request.header.Authorization", "$request.querystring.tenant")
                .authorizerResultTtlInSeconds(0)).authorizerId();
        String ungrantedId = apigw.createAuthorizer(r -> r.apiId(apiId).name("ungranted").authorizerType("REQUEST")
                .authorizerUri(HttpApis.functionArn("az-ungranted")).authorizerPayloadFormatVersion("2.0")
                .enableSimpleResponses(true).identitySource("$request.header.Authorization")).authorizerId();
        String v2 = integration("2.0");
        String v1 = integration("1.0");
        route("GET /simple", v2, simpleId);
        route("GET /iam", v1, iamId);
        route("GET /ungranted", v2, ungrantedId);
        apigw.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        HttpApis.grant(lamina, "az-echo", apiId);
        for (String[] grant : new String[][]{{"az-simple", simpleId}, {"az-iam", iamId}}) {
            lamina.lambda().addPermission(r -> r.functionName(grant[0]).statementId("authorizer")
                    .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                    .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/authorizers/" + grant[1]));
        }
        base = lamina.endpoint() + "/_api/" + apiId;
    }

    private static String integration(String version) {
        return apigw.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("az-echo")).payloadFormatVersion(version)).integrationId();
    }

    private static void route(String key, String integrationId, String authorizerId) {
        apigw.createRoute(r -> r.apiId(apiId).routeKey(key).target("integrations/" + integrationId)
                .authorizationType(AuthorizationType.CUSTOM).authorizerId(authorizerId));
    }

    @AfterAll
    static void stop() {
        apigw.close();
        lamina.close();
    }

    private static HttpResponse<String> call(String path, String token) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", token);
        }
        return HttpApis.send(b);
    }

    @Test
    void simpleAuthorizer_allowsDeniesAndRefuses_andItsContextReachesTheFunction() throws Exception {
        HttpResponse<String> missing = call("/simple", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"message\":\"Unauthorized\"}");

        HttpResponse<String> denied = call("/simple", "nope");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"message\":\"Forbidden\"}");

        HttpResponse<String> ok = call("/simple", "allow-context");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode lambda = JSON.readTree(ok.body()).path("requestContext").path("authorizer").path("lambda");
        assertThat(lambda.path("token").asText()).isEqualTo("allow-context");
        assertThat(lambda.path("type").asText()).isEqualTo("REQUEST");
        assertThat(lambda.path("version").asText()).isEqualTo("2.0");
        assertThat(lambda.path("routeArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:000000000000:" + apiId
                + "/$default/GET/simple");
        assertThat(lambda.path("identitySource")).extracting(JsonNode::asText).containsExactly("allow-context");
        assertThat(lambda.path("nested").path("ok").asBoolean()).isTrue();
    }

    @Test
    void simpleAuthorizer_answersAreCachedByIdentityUntilTheTtlEnds() throws Exception {
        long first = calls(call("/simple", "allow-cache"));
        assertThat(calls(call("/simple", "allow-cache"))).isEqualTo(first);
        long other = calls(call("/simple", "allow-cache-2"));
        assertThat(other).isGreaterThan(first);
        SKEW.addAndGet(Duration.ofSeconds(301).toMillis());
        assertThat(calls(call("/simple", "allow-cache"))).isGreaterThan(other);
    }

    private static long calls(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("requestContext").path("authorizer").path("lambda").path("calls").asLong();
    }

    @Test
    void iamPolicyAuthorizer_v1_allowsByPolicy_andPassesPrincipalAndContextInPayload10() throws Exception {
        HttpResponse<String> ok = call("/iam?tenant=t1", "allow");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode event = JSON.readTree(ok.body());
        assertThat(event.path("version").asText()).isEqualTo("1.0");
        JsonNode authorizer = event.path("requestContext").path("authorizer");
        assertThat(authorizer.path("principalId").asText()).isEqualTo("user-allow");
        assertThat(authorizer.path("type").asText()).isEqualTo("REQUEST");
        assertThat(authorizer.path("version").asText()).isEqualTo("1.0");
        assertThat(authorizer.path("identitySource").asText()).isEqualTo("allow,t1");
        assertThat(authorizer.path("methodArn").asText()).isEqualTo("arn:aws:execute-api:us-east-1:000000000000:" + apiId
                + "/$default/GET/iam");
        assertThat(authorizer.has("integrationLatency")).isTrue();
        long calls = authorizer.path("calls").asLong();
        // TTL 0: no caching, every request asks the authorizer.
        HttpResponse<String> again = call("/iam?tenant=t1", "allow");
        assertThat(JSON.readTree(again.body()).path("requestContext").path("authorizer").path("calls").asLong())
                .isGreaterThan(calls);

        assertThat(call("/iam?tenant=t1", "deny").statusCode()).isEqualTo(403);
        assertThat(call("/iam", "allow").statusCode()).isEqualTo(401); // the second identity source is missing
    }

    @Test
    void authorizerWithoutPermission_answers500() throws Exception {
        HttpResponse<String> r = call("/ungranted", "anything");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }
}
