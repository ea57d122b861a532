package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.ACCOUNT;
import static io.lamina.it.api.ApiTestSupport.REGION;
import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.name;
import static io.lamina.it.api.ApiTestSupport.plainRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** Odd but well-formed requests get a client error that says what is wrong, never a 500. */
class ControlApiEdgeCasesTest {
    static LaminaFixture lamina;
    static LambdaClient lambda;
    static String fn;

    @BeforeAll
    static void start() {
        lamina = ApiTestSupport.start();
        lambda = lamina.lambda();
        fn = name("edge");
        create(lambda, plainRequest(fn).publish(true));
        lambda.createAlias(r -> r.functionName(fn).name("live").functionVersion("1"));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static AwsServiceException clientError(ThrowingCallable call, int status, String code, String message) {
        AwsServiceException e = error(call);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        return e;
    }

    @Test
    void qualifiersThatNameNothing_areNotFound() {
        clientError(() -> lambda.getFunction(r -> r.functionName(fn).qualifier("$LATEST.PUBLISHED")), 404,
                "ResourceNotFoundException", "Function not found: " + arn(fn) + ":$LATEST.PUBLISHED");
        clientError(() -> lambda.getFunctionConfiguration(r -> r.functionName(fn).qualifier("nope")), 404,
                "ResourceNotFoundException", "Function not found: " + arn(fn) + ":nope");
        clientError(() -> lambda.deleteFunction(r -> r.functionName(fn).qualifier("$latest")), 404,
                "ResourceNotFoundException", "Function not found: " + arn(fn) + ":$latest");
        clientError(() -> lambda.getPolicy(r -> r.functionName(fn).qualifier("$LATEST")), 404,
                "ResourceNotFoundException", "The resource you requested does not exist.");
    }

    @Test
    void getFunction_throughAnAlias_reportsTheAliasArnAndTheVersion() {
        var c = lambda.getFunctionConfiguration(r -> r.functionName(fn).qualifier("live"));
        assertThat(c.functionArn()).isEqualTo(arn(fn) + ":live");
        assertThat(c.version()).isEqualTo("1");
    }

    @Test
    void aliasOperations_onMissingThings_areNotFound() {
        clientError(() -> lambda.getAlias(r -> r.functionName("missing-fn").name("live")), 404,
                "ResourceNotFoundException", "Function not found: " + arn("missing-fn"));
        clientError(() -> lambda.updateAlias(r -> r.functionName("missing-fn").name("live")), 404,
                "ResourceNotFoundException", "Function not found: " + arn("missing-fn"));
        clientError(() -> lambda.listAliases(r -> r.functionName("missing-fn")), 404,
                "ResourceNotFoundException", "Function not found: " + arn("missing-fn"));
        clientError(() -> lambda.listVersionsByFunction(r -> r.functionName("missing-fn")), 404,
                "ResourceNotFoundException", "Function not found: " + arn("missing-fn"));
        clientError(() -> lambda.updateAlias(r -> r.functionName(fn).name("live").functionVersion("9")), 404,
                "ResourceNotFoundException", "Function not found: " + arn(fn) + ":9");
    }

    @Test
    void updates_ofAVersionOrAlias_areRejected() {
        clientError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(fn + ":1").description("x")), 400,
                "InvalidParameterValueException",
                "Unsupported function qualifier: 1. Only the unqualified function ($LATEST) can be updated.");
        clientError(() -> lambda.publishVersion(r -> r.functionName(fn + ":live")), 400,
                "InvalidParameterValueException",
                "Unsupported function qualifier: live. Only the unqualified function ($LATEST) can be updated.");
    }

    @Test
    void createFunction_withoutCode_orWithoutHandler_isRejected() {
        clientError(() -> lambda.createFunction(plainRequest(name("fn")).code(c -> { }).build()), 400,
                "InvalidParameterValueException", "Please provide a source for function code.");
        clientError(() -> lambda.createFunction(plainRequest(name("fn")).handler(null).build()), 400,
                "InvalidParameterValueException",
                "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
    }

    @Test
    void environment_withReservedKeys_isRejected() {
        clientError(() -> lambda.updateFunctionConfiguration(r -> r.functionName(fn)
                        .environment(e -> e.variables(Map.of("AWS_REGION", "x")))), 400, "InvalidParameterValueException",
                "Lambda was unable to configure your environment variables because the environment variables you have "
                        + "provided contains reserved keys that are currently not supported for modification. Reserved "
                        + "keys used in this request: AWS_REGION");
    }

    @Test
    void listFunctions_withAForeignMarker_isRejected() {
        AwsServiceException e = error(() -> lambda.listFunctions(r -> r.marker("eyJmb28iOjF9")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
    }

    @Test
    void reservedConcurrency_aboveTheAccount_isRejected() {
        clientError(() -> lambda.putFunctionConcurrency(r -> r.functionName(fn).reservedConcurrentExecutions(1_000_000)),
                400, "InvalidParameterValueException", "Specified ReservedConcurrentExecutions for function decreases "
                        + "account's UnreservedConcurrentExecution below its minimum value of [100].");
    }

    @Test
    void reservedConcurrency_beyond32Bits_isRejected_notWrappedAround() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(lamina.endpoint()
                        + "/2017-10-31/functions/" + fn + "/concurrency"))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"ReservedConcurrentExecutions\": 4294967297}"))
                .build();
        var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(lambda.getFunctionConcurrency(r -> r.functionName(fn)).reservedConcurrentExecutions()).isNull();
    }

    @Test
    void tagging_somethingOtherThanAFunction_isRejected() {
        AwsServiceException e = error(() -> lambda.tagResource(r -> r
                .resource("arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":layer:my-layer").tags(Map.of("a", "b"))));
        assertThat(e.statusCode()).isBetween(400, 499);
    }

    @Test
    void permissions_onAVersionOfAnotherFunction_areNotFound() {
        clientError(() -> lambda.addPermission(r -> r.functionName("missing-fn").qualifier("1").statementId("s")
                        .action("lambda:InvokeFunction").principal("s3.amazonaws.com")), 404, "ResourceNotFoundException",
                "Function not found: " + arn("missing-fn"));
        clientError(() -> lambda.removePermission(r -> r.functionName(fn).qualifier("7").statementId("s")), 404,
                "ResourceNotFoundException", "Function not found: " + arn(fn) + ":7");
    }
}
