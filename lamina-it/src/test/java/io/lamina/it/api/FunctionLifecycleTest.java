package io.lamina.it.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.ECHO_ZIP;
import static io.lamina.it.api.ApiTestSupport.ROLE;
import static io.lamina.it.api.ApiTestSupport.VERSION_ZIP;
import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static io.lamina.it.api.ApiTestSupport.plainRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** Create, get, update and delete one function: shapes, states and revision ids as AWS answers them. */
class FunctionLifecycleTest extends ApiTest {

    @Test
    void lifecycle_createGetUpdateDelete_answersLikeAws() {
        var snapshot = Snapshot.of("TestLambdaFunction::test_function_lifecycle");
        String name = name("fn");
        snapshot.match("create_response", lambda.createFunction(fixtureRequest(name).memorySize(256).timeout(5).build()));
        awaitSettled(lambda, name);
        snapshot.match("get_function_response", lambda.getFunction(r -> r.functionName(name)));

        snapshot.match("update_func_conf_response", lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .runtime(Runtime.PYTHON3_11).description("Changed-Description").memorySize(512).timeout(10)
                .environment(e -> e.variables(Map.of("ENV_A", "a")))));
        awaitSettled(lambda, name);
        snapshot.match("get_function_response_postupdate", lambda.getFunction(r -> r.functionName(name)));

        snapshot.match("update_code_response", lambda.updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(VERSION_ZIP))));
        awaitSettled(lambda, name);
        snapshot.match("get_function_response_postcodeupdate", lambda.getFunction(r -> r.functionName(name)));

        snapshot.match("delete_response", lambda.deleteFunction(r -> r.functionName(name)));
        snapshot.match("delete_postdelete", error(() -> lambda.deleteFunction(r -> r.functionName(name))));
    }

    @Test
    void updateConfiguration_withUnchangedValues_stillRunsAnUpdateWithANewRevision() {
        var snapshot = Snapshot.of("TestLambdaFunction::test_redundant_updates");
        String name = name("fn");
        snapshot.match("create_response", create(lambda, fixtureRequest(name).description("Initial description")));

        snapshot.match("first_update_result", lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .description("1st update description")));
        awaitSettled(lambda, name);
        snapshot.match("get_fn_config_result", lambda.getFunctionConfiguration(r -> r.functionName(name)));
        snapshot.match("get_fn_result", lambda.getFunction(r -> r.functionName(name)));

        snapshot.match("redundant_update_result", lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .description("1st update description")));
        awaitSettled(lambda, name);
        snapshot.match("get_fn_result_after_redundant_update", lambda.getFunction(r -> r.functionName(name)));
    }

    @Test
    void getFunction_codeLocation_servesTheUploadedZip() throws Exception {
        var snapshot = Snapshot.of("TestLambdaFunction::test_lambda_code_location_zipfile");
        String name = name("code-function");
        snapshot.match("create-response-zip-file", create(lambda, plainRequest(name)));
        GetFunctionResponse got = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get-function-response", got);
        assertDownloads(got, ECHO_ZIP);

        snapshot.match("update-function-response", lambda.updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(VERSION_ZIP))));
        // AWS answered the GetFunction right after the update while it was still InProgress; we wait instead
        awaitSettled(lambda, name);
        GetFunctionResponse updated = lambda.getFunction(r -> r.functionName(name));
        assertDownloads(updated, VERSION_ZIP);
        assertThat(updated.configuration().codeSha256()).isNotEqualTo(got.configuration().codeSha256());
    }

    private static void assertDownloads(GetFunctionResponse got, byte[] zip) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(got.code().location())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(zip);
        }
        String sha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(zip));
        assertThat(got.configuration().codeSha256()).isEqualTo(sha);
        assertThat(got.configuration().codeSize()).isEqualTo(zip.length);
        assertThat(got.code().repositoryType()).isEqualTo("S3");
    }

    @Test
    void revisionId_changesOnActivationAndEveryUpdate_andAStaleOneIsRefused() {
        var snapshot = Snapshot.of("TestLambdaRevisions::test_function_revisions_basic");
        String name = name("fn");
        // The recorded test uploads the same echo.zip three times.
        snapshot.match("create_function_response_rev1", create(lambda, fixtureRequest(name).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(ECHO_ZIP)))));
        var rev2 = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get_function_response_rev2", rev2);

        snapshot.match("update_function_revision_exception", error(() -> lambda.updateFunctionCode(r -> r
                .functionName(name).zipFile(SdkBytes.fromByteArray(ECHO_ZIP)).revisionId("wrong"))));
        snapshot.match("update_function_code_response_rev3", lambda.updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ECHO_ZIP)).revisionId(rev2.configuration().revisionId())));
        awaitSettled(lambda, name);
        var rev4 = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get_function_response_rev4", rev4);

        snapshot.match("update_function_configuration_revision_exception", error(() -> lambda
                .updateFunctionConfiguration(r -> r.functionName(name).runtime(Runtime.PYTHON3_8).revisionId("wrong"))));
        snapshot.match("update_function_configuration_response_rev5", lambda.updateFunctionConfiguration(r -> r
                .functionName(name).runtime(Runtime.PYTHON3_8).revisionId(rev4.configuration().revisionId())));
        awaitSettled(lambda, name);
        snapshot.match("get_function_response_rev6", lambda.getFunction(r -> r.functionName(name)));
    }

    @Test
    void deleteFunction_withAMissingVersion_succeedsUntilTheFunctionIsGone() {
        String name = name("i-exist");
        var snapshot = Snapshot.of("TestLambdaFunction::test_delete_on_nonexisting_version").bind("<fn-name>", name);
        create(lambda, fixtureRequest(name).description("Initial description"));

        lambda.deleteFunction(r -> r.functionName(name).qualifier("1233"));
        lambda.deleteFunction(r -> r.functionName(name).qualifier("1233"));
        lambda.deleteFunction(r -> r.functionName(name));

        snapshot.match("delete_function_response_non_existent", error(() -> lambda.deleteFunction(r -> r.functionName(name))));
        snapshot.match("delete_function_response_non_existent_with_qualifier",
                error(() -> lambda.deleteFunction(r -> r.functionName(name).qualifier("1233"))));
    }

    @Test
    void environment_ofExactly4KB_isAccepted() {
        var snapshot = Snapshot.of("TestLambdaSizeLimits::test_lambda_envvars_near_limit_succeeds");
        String name = name("large-envvar-lambda");
        String value = "x".repeat(4 * 1024 - 7 - "LARGE_VAR".length());
        snapshot.match("successful_create_fn_result", create(lambda, fixtureRequest(name)
                .environment(e -> e.variables(Map.of("LARGE_VAR", value)))));
        assertThat(lambda.getFunction(r -> r.functionName(name)).configuration().environment().variables())
                .containsEntry("LARGE_VAR", value);
    }

    @Test
    void createFunction_withTheSameNameTwice_conflicts() {
        String name = name("fn");
        create(lambda, fixtureRequest(name));
        var e = error(() -> lambda.createFunction(fixtureRequest(name).build()));
        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceConflictException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function already exist: " + name);
    }

    @Test
    void createFunction_withoutEnvironment_leavesEnvironmentOut() {
        String name = name("fn");
        var created = create(lambda, plainRequest(name).role(ROLE));
        assertThat(created.environment()).isNull();
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name)).environment()).isNull();
    }
}
