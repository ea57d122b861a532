package io.lamina.it.httpapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP APIs survive a restart: the control API answers the same and the routes serve again. */
class HttpApiRestartTest {

    @Test
    void apiRoutesStagesAndAuthorizers_surviveARestart_andServe() throws Exception {
        Path dir;
        String apiId;
        String routeId;
        try (LaminaFixture lamina = LaminaFixture.start(); var apigw = HttpApis.client(lamina.endpoint())) {
            dir = lamina.dataDir();
            HttpApis.node(lamina, "rs-echo", HttpApis.NODE_ECHO);
            HttpApis.node(lamina, "rs-auth", "exports.handler = async (e) => ({isAuthorized: e.headers['x-key'] === 'k'});");
            apiId = apigw.createApi(r -> r.name("persisted").protocolType(ProtocolType.HTTP)).apiId();
            String integrationId = apigw.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(HttpApis.functionArn("rs-echo")).payloadFormatVersion("2.0")).integrationId();
            String authorizerId = apigw.createAuthorizer(r -> r.apiId(apiId).name("key").authorizerType("REQUEST")
                    .authorizerUri(HttpApis.functionArn("rs-auth")).authorizerPayloadFormatVersion("2.0")
                    .enableSimpleResponses(true).identitySource("$request.header.x-key")).authorizerId();
            routeId = apigw.createRoute(r -> r.apiId(apiId).routeKey("GET /kept/{id}").target("integrations/" + integrationId)
                    .authorizationType(AuthorizationType.CUSTOM).authorizerId(authorizerId)).routeId();
            apigw.createStage(r -> r.apiId(apiId).stageName("live").stageVariables(java.util.Map.of("v", "1")));
            HttpApis.grant(lamina, "rs-echo", apiId);
            HttpApis.grant(lamina, "rs-auth", apiId);
        }
        try (LaminaFixture lamina = LaminaFixture.startOn(dir); var apigw = HttpApis.client(lamina.endpoint())) {
            assertThat(apigw.getApi(r -> r.apiId(apiId)).name()).isEqualTo("persisted");
            assertThat(apigw.getRoute(r -> r.apiId(apiId).routeId(routeId)).routeKey()).isEqualTo("GET /kept/{id}");
            assertThat(apigw.getStage(r -> r.apiId(apiId).stageName("live")).stageVariables()).containsEntry("v", "1");
            assertThat(apigw.getAuthorizers(r -> r.apiId(apiId)).items()).hasSize(1);
            var r = HttpApis.send(HttpRequest.newBuilder(URI.create(lamina.endpoint() + "/_api/" + apiId + "/live/kept/3"))
                    .header("x-key", "k"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            var event = new ObjectMapper().readTree(r.body());
            assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("3");
            assertThat(event.path("stageVariables").path("v").asText()).isEqualTo("1");
            assertThat(HttpApis.send(HttpRequest.newBuilder(URI.create(lamina.endpoint() + "/_api/" + apiId + "/live/kept/3"))
                    .header("x-key", "wrong")).statusCode()).isEqualTo(403);
        }
    }
}
