package io.lamina.it.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConflictException;
import software.amazon.awssdk.services.apigatewayv2.model.CreateApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The apigatewayv2 control API with the SDK's ApiGatewayV2Client: shapes, defaults, quick create, errors. */
class HttpApiControlPlaneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LaminaFixture lamina;
    private static ApiGatewayV2Client apigw;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        apigw = HttpApis.client(lamina.endpoint());
        HttpApis.node(lamina, "cp-echo", HttpApis.NODE_ECHO);
    }

    @AfterAll
    static void stop() {
        apigw.close();
        lamina.close();
    }

    @Test
    void quickCreate_makesManagedIntegrationRouteAndAutoDeployedDefaultStage_andServesOnceGranted() throws Exception {
        CreateApiResponse api = apigw.createApi(r -> r.name("quick").protocolType(ProtocolType.HTTP)
                .target(HttpApis.functionArn("cp-echo")));
        assertThat(api.apiId()).matches("[a-z0-9]{10}");
        assertThat(api.apiEndpoint()).isEqualTo(lamina.endpoint() + "/_api/" + api.apiId());
        assertThat(api.protocolType()).isEqualTo(ProtocolType.HTTP);
        assertThat(api.routeSelectionExpression()).isEqualTo("$request.method $request.path");
        assertThat(api.apiKeySelectionExpression()).isEqualTo("$request.header.x-api-key");
        assertThat(api.createdDate()).isNotNull();
        assertThat(api.disableExecuteApiEndpoint()).isFalse();

        var integrations = apigw.getIntegrations(r -> r.apiId(api.apiId())).items();
        assertThat(integrations).singleElement().satisfies(i -> {
            assertThat(i.integrationType()).isEqualTo(IntegrationType.AWS_PROXY);
            assertThat(i.integrationUri()).isEqualTo(HttpApis.functionArn("cp-echo"));
            assertThat(i.payloadFormatVersion()).isEqualTo("2.0");
            assertThat(i.timeoutInMillis()).isEqualTo(30000);
            assertThat(i.apiGatewayManaged()).isTrue();
        });
        var routes = apigw.getRoutes(r -> r.apiId(api.apiId())).items();
        assertThat(routes).singleElement().satisfies(rt -> {
            assertThat(rt.routeKey()).isEqualTo("$default");
            assertThat(rt.target()).isEqualTo("integrations/" + integrations.getFirst().integrationId());
            assertThat(rt.authorizationTypeAsString()).isEqualTo("NONE");
            assertThat(rt.apiGatewayManaged()).isTrue();
        });
        var stages = apigw.getStages(r -> r.apiId(api.apiId())).items();
        assertThat(stages).singleElement().satisfies(s -> {
            assertThat(s.stageName()).isEqualTo("$default");
            assertThat(s.autoDeploy()).isTrue();
            assertThat(s.apiGatewayManaged()).isTrue();
        });

        // Quick create does not grant API Gateway the right to invoke (the console does that, not the API).
        HttpResponse<String> denied = HttpApis.get(api.apiEndpoint() + "/anything");
        assertThat(denied.statusCode()).isEqualTo(500);
        assertThat(denied.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(denied.headers().firstValue("apigw-requestid")).isPresent();

        lamina.lambda().addPermission(r -> r.functionName("cp-echo").statementId("quick")
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + api.apiId() + "/*/$default"));
        HttpResponse<String> ok = HttpApis.get(api.apiEndpoint() + "/anything?x=1");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode event = JSON.readTree(ok.body());
        assertThat(event.path("routeKey").asText()).isEqualTo("$default");
        assertThat(event.path("rawPath").asText()).isEqualTo("/anything");
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("$default");
    }

    @Test
    void quickCreate_withRouteKey_createsThatRoute_andUpdateApiChangesIt() {
        var api = apigw.createApi(r -> r.name("keyed").protocolType(ProtocolType.HTTP)
                .target(HttpApis.functionArn("cp-echo")).routeKey("GET /hello"));
        assertThat(apigw.getRoutes(r -> r.apiId(api.apiId())).items()).extracting(x -> x.routeKey())
                .containsExactly("GET /hello");
        var updated = apigw.updateApi(r -> r.apiId(api.apiId()).name("renamed").routeKey("POST /bye"));
        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(apigw.getRoutes(r -> r.apiId(api.apiId())).items()).extracting(x -> x.routeKey())
                .containsExactly("POST /bye");
        assertThat(apigw.getApi(r -> r.apiId(api.apiId())).name()).isEqualTo("renamed");
    }

    @Test
    void routesIntegrationsStagesAuthorizers_roundTripWithTheirDefaults() {
        var api = apigw.createApi(r -> r.name("crud").protocolType(ProtocolType.HTTP).description("d"));
        var integration = apigw.createIntegration(r -> r.apiId(api.apiId()).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("cp-echo") + ":live"));
        assertThat(integration.payloadFormatVersion()).isEqualTo("1.0");
        assertThat(integration.timeoutInMillis()).isEqualTo(30000);
        assertThat(integration.integrationMethod()).isEqualTo("POST");
        assertThat(integration.connectionTypeAsString()).isEqualTo("INTERNET");
        var updatedIntegration = apigw.updateIntegration(r -> r.apiId(api.apiId()).integrationId(integration.integrationId())
                .payloadFormatVersion("2.0").timeoutInMillis(5000));
        assertThat(updatedIntegration.payloadFormatVersion()).isEqualTo("2.0");
        assertThat(updatedIntegration.timeoutInMillis()).isEqualTo(5000);

        var route = apigw.createRoute(r -> r.apiId(api.apiId()).routeKey("GET /items/{id}")
                .target("integrations/" + integration.integrationId()));
        assertThat(route.routeId()).matches("[a-z0-9]{7}");
        assertThat(apigw.getRoute(r -> r.apiId(api.apiId()).routeId(route.routeId())).routeKey()).isEqualTo("GET /items/{id}");
        var moved = apigw.updateRoute(r -> r.apiId(api.apiId()).routeId(route.routeId()).routeKey("ANY /{proxy+}"));
        assertThat(moved.routeKey()).isEqualTo("ANY /{proxy+}");
        assertThat(moved.target()).isEqualTo("integrations/" + integration.integrationId());

        var stage = apigw.createStage(r -> r.apiId(api.apiId()).stageName("prod").autoDeploy(true)
                .stageVariables(java.util.Map.of("color", "blue")));
        assertThat(stage.stageVariables()).containsEntry("color", "blue");
        assertThat(apigw.getStage(r -> r.apiId(api.apiId()).stageName("prod")).autoDeploy()).isTrue();
        var deployment = apigw.createDeployment(r -> r.apiId(api.apiId()).stageName("prod").description("first"));
        assertThat(deployment.deploymentStatusAsString()).isEqualTo("DEPLOYED");
        assertThat(apigw.getStage(r -> r.apiId(api.apiId()).stageName("prod")).deploymentId()).isEqualTo(deployment.deploymentId());
        assertThat(apigw.getDeployments(r -> r.apiId(api.apiId())).items()).extracting(x -> x.deploymentId())
                .containsExactly(deployment.deploymentId());
        apigw.deleteDeployment(r -> r.apiId(api.apiId()).deploymentId(deployment.deploymentId()));

        var authorizer = apigw.createAuthorizer(r -> r.apiId(api.apiId()).name("auth").authorizerType("REQUEST")
                .authorizerUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                        + HttpApis.functionArn("cp-echo") + "/invocations")
                .authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true)
                .identitySource("$request.header.Authorization").authorizerResultTtlInSeconds(300));
        assertThat(authorizer.identitySource()).containsExactly("$request.header.Authorization");
        assertThat(apigw.getAuthorizers(r -> r.apiId(api.apiId())).items()).hasSize(1);

        assertThatThrownBy(() -> apigw.deleteIntegration(r -> r.apiId(api.apiId()).integrationId(integration.integrationId())))
                .isInstanceOf(ConflictException.class);
        apigw.deleteRoute(r -> r.apiId(api.apiId()).routeId(route.routeId()));
        apigw.deleteIntegration(r -> r.apiId(api.apiId()).integrationId(integration.integrationId()));
        apigw.deleteAuthorizer(r -> r.apiId(api.apiId()).authorizerId(authorizer.authorizerId()));
        apigw.deleteStage(r -> r.apiId(api.apiId()).stageName("prod"));
        assertThat(apigw.getRoutes(r -> r.apiId(api.apiId())).items()).isEmpty();
        assertThat(apigw.getStages(r -> r.apiId(api.apiId())).items()).isEmpty();

        assertThat(apigw.getApis(r -> r.maxResults("100")).items()).extracting(x -> x.apiId()).contains(api.apiId());
        String apiArn = "arn:aws:apigateway:us-east-1::/apis/" + api.apiId();
        apigw.tagResource(r -> r.resourceArn(apiArn).tags(java.util.Map.of("team", "a", "env", "dev")));
        apigw.untagResource(r -> r.resourceArn(apiArn).tagKeys("env"));
        assertThat(apigw.getTags(r -> r.resourceArn(apiArn)).tags()).containsExactly(java.util.Map.entry("team", "a"));
        assertThat(apigw.getApi(r -> r.apiId(api.apiId())).tags()).containsEntry("team", "a");
        apigw.deleteApi(r -> r.apiId(api.apiId()));
        assertThatThrownBy(() -> apigw.getApi(r -> r.apiId(api.apiId()))).isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).statusCode()).isEqualTo(404));
    }

    @Test
    void badInput_answersAwsErrorTypes() {
        var api = apigw.createApi(r -> r.name("errors").protocolType(ProtocolType.HTTP));
        var integration = apigw.createIntegration(r -> r.apiId(api.apiId()).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("cp-echo")).payloadFormatVersion("2.0"));
        apigw.createRoute(r -> r.apiId(api.apiId()).routeKey("GET /a").target("integrations/" + integration.integrationId()));
        assertThatThrownBy(() -> apigw.createRoute(r -> r.apiId(api.apiId()).routeKey("GET /a")))
                .isInstanceOf(ConflictException.class).satisfies(e -> assertThat(((ConflictException) e).statusCode()).isEqualTo(409));
        for (String bad : new String[]{"FETCH /a", "GET a", "GET /{proxy+}/x", "GET //a", "GET"}) {
            assertThatThrownBy(() -> apigw.createRoute(r -> r.apiId(api.apiId()).routeKey(bad)))
                    .as(bad).isInstanceOf(BadRequestException.class);
        }
        assertThatThrownBy(() -> apigw.createRoute(r -> r.apiId(api.apiId()).routeKey("GET /b").target("integrations/nope")))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> apigw.createIntegration(r -> r.apiId(api.apiId()).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("cp-echo")).timeoutInMillis(49)))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Timeout must be between 50 milliseconds and 30 seconds.");
        assertThatThrownBy(() -> apigw.createIntegration(r -> r.apiId(api.apiId()).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(HttpApis.functionArn("cp-echo")).payloadFormatVersion("3.0")))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> apigw.createIntegration(r -> r.apiId(api.apiId()).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri("not-an-arn")))
                .isInstanceOf(BadRequestException.class);
        assertThat(apigw.createStage(r -> r.apiId(api.apiId()).stageName("$default")).stageName()).isEqualTo("$default");
        assertThatThrownBy(() -> apigw.createStage(r -> r.apiId(api.apiId()).stageName("$default")))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> apigw.getRoute(r -> r.apiId(api.apiId()).routeId("missing")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> apigw.getApi(r -> r.apiId("nosuchapi0")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid API identifier specified");
    }
}
