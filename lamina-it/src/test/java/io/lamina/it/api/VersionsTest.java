package io.lamina.it.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;

import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.VERSION_ZIP;
import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.awaitVersionActive;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static io.lamina.it.api.ApiTestSupport.plainRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** PublishVersion, ListVersionsByFunction, publishing on create and update, deleting versions. */
class VersionsTest extends ApiTest {

    @Test
    void createFunction_withPublish_createsVersion1_andRepublishingReturnsIt() {
        var snapshot = Snapshot.of("TestLambdaVersions::test_publish_version_on_create");
        String name = name("fn");
        snapshot.match("create_response", create(lambda, plainRequest(name).publish(true)));
        awaitVersionActive(lambda, name, "1");
        snapshot.match("get_function_result", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("get_function_version_result", lambda.getFunction(r -> r.functionName(name).qualifier("1")));
        snapshot.match("get_function_latest_result", lambda.getFunction(r -> r.functionName(name).qualifier("$LATEST")));
        snapshot.match("list_versions_result", lambda.listVersionsByFunction(r -> r.functionName(name)));

        snapshot.match("repeated_publish_response", lambda.publishVersion(r -> r.functionName(name)
                .description("Repeated version description :)")));
        snapshot.match("list_versions_result_after_publish", lambda.listVersionsByFunction(r -> r.functionName(name)));
    }

    @Test
    void publishVersion_snapshotsLatest_onlyWhenItChanged_andNumbersAreNeverReused() {
        var snapshot = Snapshot.of("TestLambdaVersions::test_version_lifecycle");
        String name = name("fn");
        snapshot.match("create_response", create(lambda, plainRequest(name).description("No version :(")));
        snapshot.match("get_function_result", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("list_versions_result", lambda.listVersionsByFunction(r -> r.functionName(name)));

        snapshot.match("first_update_response", lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .description("First version :)")));
        awaitSettled(lambda, name);
        snapshot.match("first_update_get_function", lambda.getFunction(r -> r.functionName(name)));

        PublishVersionResponse first = lambda.publishVersion(r -> r.functionName(name)
                .description("First version description :)"));
        snapshot.match("first_publish_response", first);
        snapshot.match("first_publish_get_function", lambda.getFunction(r -> r.functionName(name)
                .qualifier(first.version())));
        snapshot.match("first_publish_get_function_config", lambda.getFunctionConfiguration(r -> r.functionName(name)
                .qualifier(first.version())));

        snapshot.match("second_update_response", lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .description("Second version :))")));
        awaitSettled(lambda, name);
        snapshot.match("first_publish_get_function_after_update", lambda.getFunction(r -> r.functionName(name)
                .qualifier(first.version())));

        snapshot.match("second_publish_response", lambda.publishVersion(r -> r.functionName(name)));
        snapshot.match("third_publish_response", lambda.publishVersion(r -> r.functionName(name)
                .description("Third version description :)))")));
        snapshot.match("list_versions_result_after_third_publish", lambda.listVersionsByFunction(r -> r.functionName(name)));

        lambda.deleteFunction(r -> r.functionName(name + ":" + first.version()));
        snapshot.match("list_versions_result_after_deletion_of_first_version",
                lambda.listVersionsByFunction(r -> r.functionName(name)));

        // Version 1 is gone for good: the next publish takes 3, not 1.
        lambda.updateFunctionConfiguration(r -> r.functionName(name).description("Fourth"));
        awaitSettled(lambda, name);
        assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("3");
    }

    @Test
    void publishVersion_withAStaleCodeSha_isRejected() {
        var snapshot = Snapshot.of("TestLambdaVersions::test_publish_with_wrong_sha256");
        String name = name("fn");
        snapshot.match("create_response", create(lambda, plainRequest(name)));
        var got = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get_fn_response", got);
        snapshot.match("publish_wrong_sha256_exc", error(() -> lambda.publishVersion(r -> r.functionName(name)
                .codeSha256("somenonexistentsha256"))));
        snapshot.match("publish_result", lambda.publishVersion(r -> r.functionName(name)
                .codeSha256(got.configuration().codeSha256())));
    }

    @Test
    void publishVersion_withAStaleRevisionId_isRejected() {
        var snapshot = Snapshot.of("TestLambdaRevisions::test_function_revisions_version_and_alias");
        String name = name("fn");
        snapshot.match("create_function_response_rev1", create(lambda, fixtureRequest(name)));
        var rev2 = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get_function_active_rev2", rev2);
        snapshot.match("publish_version_revision_exception", error(() -> lambda.publishVersion(r -> r
                .functionName(name).revisionId("wrong"))));

        var v1 = lambda.publishVersion(r -> r.functionName(name).revisionId(rev2.configuration().revisionId()));
        snapshot.match("publish_version_response_rev_v1", v1);
        awaitVersionActive(lambda, name, v1.version());
        snapshot.match("get_function_published_version_rev_v2", lambda.getFunction(r -> r.functionName(name)
                .qualifier(v1.version())));
        snapshot.match("get_function_latest_rev3", lambda.getFunction(r -> r.functionName(name)));

        var alias = lambda.createAlias(r -> r.functionName(name).name("revision_alias").functionVersion(v1.version()));
        snapshot.match("create_alias_response_rev_a1", alias);
        snapshot.match("get_function_latest_rev4", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("get_function_published_version_rev_v3", lambda.getFunction(r -> r.functionName(name)
                .qualifier(v1.version())));
        snapshot.match("update_alias_revision_exception", error(() -> lambda.updateAlias(r -> r.functionName(name)
                .name("revision_alias").revisionId("wrong"))));
        snapshot.match("update_alias_response_rev_a2", lambda.updateAlias(r -> r.functionName(name)
                .name("revision_alias").description("something changed").revisionId(alias.revisionId())));
    }

    @Test
    void updateFunctionCode_withPublish_returnsTheNewPendingVersion() {
        var snapshot = Snapshot.of("TestLambdaVersions::test_publish_with_update");
        String name = name("fn");
        snapshot.match("create_response", create(lambda, plainRequest(name)));
        snapshot.match("get_function_result", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("update_function_code_result", lambda.updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(VERSION_ZIP)).publish(true)));
        // AWS still reported version 1 Pending and $LATEST InProgress here; Lamina may already be done.
        var version = lambda.getFunction(r -> r.functionName(name).qualifier("1")).configuration();
        assertThat(version.version()).isEqualTo("1");
        assertThat(version.codeSha256()).isEqualTo(lambda.getFunction(r -> r.functionName(name)).configuration().codeSha256());
        awaitVersionActive(lambda, name, "1");
        awaitSettled(lambda, name);
        assertThat(lambda.getFunction(r -> r.functionName(name).qualifier("1")).configuration().lastUpdateStatusAsString())
                .isEqualTo("Successful");
    }

    @Test
    void publishVersion_whileAnUpdateIsInProgress_conflicts_orSucceedsOnceSettled() {
        String name = name("fn");
        create(lambda, plainRequest(name));
        lambda.updateFunctionConfiguration(r -> r.functionName(name).description("changed"));
        try {
            lambda.publishVersion(r -> r.functionName(name));
        } catch (software.amazon.awssdk.services.lambda.model.ResourceConflictException e) {
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                    "The operation cannot be performed at this time. An update is in progress for resource: " + arn(name));
            awaitSettled(lambda, name);
            assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("1");
        }
    }

    @Test
    void publishedVersion_keepsItsConfiguration_whenLatestChanges() {
        String name = name("fn");
        create(lambda, plainRequest(name).memorySize(256).environment(e -> e.variables(Map.of("STAGE", "one"))));
        var v1 = lambda.publishVersion(r -> r.functionName(name));
        lambda.updateFunctionConfiguration(r -> r.functionName(name).memorySize(512)
                .environment(e -> e.variables(Map.of("STAGE", "two"))));
        awaitSettled(lambda, name);
        FunctionConfiguration c1 = lambda.listVersionsByFunction(r -> r.functionName(name)).versions().get(1);
        assertThat(c1.version()).isEqualTo(v1.version());
        assertThat(c1.memorySize()).isEqualTo(256);
        assertThat(c1.environment().variables()).containsEntry("STAGE", "one");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name)).memorySize()).isEqualTo(512);
    }

    @Test
    void listVersions_pagesWithMarkerAndMaxItems() {
        String name = name("fn");
        create(lambda, plainRequest(name));
        for (int i = 0; i < 3; i++) {
            int n = i;
            lambda.updateFunctionConfiguration(r -> r.functionName(name).description("d" + n));
            awaitSettled(lambda, name);
            lambda.publishVersion(r -> r.functionName(name));
        }
        var first = lambda.listVersionsByFunction(r -> r.functionName(name).maxItems(2));
        assertThat(first.versions()).extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1");
        assertThat(first.nextMarker()).isNotNull();
        var second = lambda.listVersionsByFunction(r -> r.functionName(name).maxItems(2).marker(first.nextMarker()));
        assertThat(second.versions()).extracting(FunctionConfiguration::version).containsExactly("2", "3");
        assertThat(second.nextMarker()).isNull();
        assertThat(lambda.listVersionsByFunctionPaginator(r -> r.functionName(name).maxItems(1)).versions().stream()
                .map(FunctionConfiguration::version)).containsExactly("$LATEST", "1", "2", "3");
    }

    @Test
    void deleteFunction_withAVersionQualifier_deletesOnlyThatVersion() {
        String name = name("fn");
        create(lambda, plainRequest(name).publish(true));
        lambda.deleteFunction(r -> r.functionName(name).qualifier("1"));
        assertThat(error(() -> lambda.getFunction(r -> r.functionName(name).qualifier("1"))).statusCode()).isEqualTo(404);
        assertThat(lambda.getFunction(r -> r.functionName(name)).configuration().version()).isEqualTo("$LATEST");
    }

    @Test
    void deleteFunction_ofAVersionAnAliasUses_conflicts() {
        String name = name("fn");
        create(lambda, plainRequest(name).publish(true));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        var e = error(() -> lambda.deleteFunction(r -> r.functionName(name).qualifier("1")));
        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceConflictException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Unable to delete version because the following aliases reference it: [live]");
    }

    @Test
    void deleteFunction_withAnAliasQualifier_isRejected() {
        String name = name("fn");
        create(lambda, plainRequest(name).publish(true));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        var e = error(() -> lambda.deleteFunction(r -> r.functionName(name).qualifier("live")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Deletion of aliases is not currently supported.");
    }

    @Test
    void publishVersion_ofAMissingFunction_isNotFound() {
        var e = error(() -> lambda.publishVersion(r -> r.functionName("doesnotexist")));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function not found: " + arn("doesnotexist"));
    }
}
