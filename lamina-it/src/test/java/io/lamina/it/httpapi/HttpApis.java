package io.lamina.it.httpapi;

import io.lamina.it.LaminaFixture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Shared set-up of the HTTP API tests: the SDK's ApiGatewayV2Client on Lamina, functions, grants, plain HTTP calls. */
final class HttpApis {
    static final String ACCOUNT = "000000000000";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A Node function answering with the event it got (payload 2.0 response with statusCode). */
    static final String NODE_ECHO = """
            exports.handler = async (event) => ({
              statusCode: 200,
              headers: {'content-type': 'application/json'},
              body: JSON.stringify(event),
            });
            """;

    private HttpApis() {
    }

    static ApiGatewayV2Client client(String endpoint) {
        return ApiGatewayV2Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build())
                .build();
    }

    static String functionArn(String name) {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name;
    }

    static void node(LaminaFixture lamina, String name, String source) {
        lamina.create(name, Runtime.NODEJS20_X, "index.handler", io.lamina.it.Functions.node(source));
    }

    /** Lets API Gateway invoke {@code function} for every route and stage of {@code apiId}, as the console's grant does. */
    static void grant(LaminaFixture lamina, String function, String apiId) {
        lamina.lambda().addPermission(r -> r.functionName(function).statementId("apigw-" + apiId)
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                .sourceArn("arn:aws:execute-api:us-east-1:" + ACCOUNT + ":" + apiId + "/*"));
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
