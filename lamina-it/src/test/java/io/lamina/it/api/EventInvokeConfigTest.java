package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionEventInvokeConfig;
import software.amazon.awssdk.services.lambda.model.GetFunctionEventInvokeConfigResponse;
import software.amazon.awssdk.services.lambda.model.PutFunctionEventInvokeConfigResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Put/Update/Get/Delete/ListFunctionEventInvokeConfigs: per qualifier, merge on update, AWS's
 * validation and errors, and what happens to a configuration when its version, alias or function goes.
 */
class EventInvokeConfigTest extends ApiTest {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:111111111111:dest-queue";
    private static final String TOPIC = "arn:aws:sns:us-east-1:111111111111:dest-topic";
    private static final String BUS = "arn:aws:events:us-east-1:111111111111:event-bus/default";

    // ---------------------------------------------------------------- recorded against AWS

    @Test
    void lifecycle_answersLikeAws() {
        String name = name("fn-eventinvoke");
        var snapshot = Snapshot.of("TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_lifecycle")
                .bind("<function-name:1>", name);
        create(lambda, fixtureRequest(name));

        snapshot.match("put_invokeconfig_retries_0", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(0)));
        snapshot.match("put_invokeconfig_eventage_60", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumEventAgeInSeconds(60)));
        snapshot.match("update_invokeconfig_eventage_nochange", lambda.updateFunctionEventInvokeConfig(r -> r
                .functionName(name).maximumEventAgeInSeconds(60)));
        snapshot.match("update_invokeconfig_retries", lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(1)));
        snapshot.match("get_invokeconfig", lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)));
        snapshot.match("get_invokeconfig_latest", lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("$LATEST")));
        snapshot.match("list_single_invokeconfig", lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)));

        snapshot.match("publish_version_result", lambda.publishVersion(r -> r.functionName(name)));
        snapshot.match("get_invokeconfig_postpublish", error(() -> lambda.getFunctionEventInvokeConfig(r -> r
                .functionName(name).qualifier("1"))));
        snapshot.match("put_published_invokeconfig", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("1").maximumEventAgeInSeconds(120)));
        snapshot.match("get_published_invokeconfig", lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("1")));

        var single = lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name).maxItems(1));
        var all = lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name));
        assertThat(single.functionEventInvokeConfigs()).hasSize(1);
        assertThat(single.nextMarker()).isNotNull();
        assertThat(all.functionEventInvokeConfigs()).extracting(FunctionEventInvokeConfig::functionArn)
                .containsExactly(arn(name) + ":$LATEST", arn(name) + ":1");
        assertThat(all.nextMarker()).isNull();
        var rest = lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name).marker(single.nextMarker()).maxItems(1));
        assertThat(rest.functionEventInvokeConfigs()).extracting(FunctionEventInvokeConfig::functionArn)
                .containsExactly(arn(name) + ":1");
        assertThat(rest.nextMarker()).isNull();

        lambda.deleteFunctionEventInvokeConfig(r -> r.functionName(name));
        snapshot.match("list_paging_nolimit_postdelete", lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)));
    }

    @Test
    void exceptions_answerLikeAws() {
        String name = name("fn-eventinvoke");
        String other = name("fn-eventinvoke-2");
        var snapshot = Snapshot.of("TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_exceptions")
                .bind("<function-name:1>", name).bind("<resource:5>", other);
        create(lambda, fixtureRequest(name));
        create(lambda, fixtureRequest(other));
        String fnArn = arn(name);
        String fakeArn = arn("doesnotexist");

        snapshot.match("fn_version_result", lambda.publishVersion(r -> r.functionName(name)));
        var alias = lambda.createAlias(r -> r.functionName(name).name("eventinvokealias").functionVersion("1"));
        snapshot.match("fn_alias_result", alias);

        snapshot.match("put_functionname_name_notfound", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName("doesnotexist").maximumRetryAttempts(1))));
        snapshot.match("put_functionname_arn_notfound", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(fakeArn).maximumRetryAttempts(1))));
        snapshot.match("put_functionname_nootherargs", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName("doesnotexist"))));

        snapshot.match("put_destination_lambda_doesntexist", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onSuccess(s -> s.destination(fakeArn))))));
        snapshot.match("put_destination_recursive", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onSuccess(s -> s.destination(fnArn))))));
        snapshot.match("put_destination_other_lambda", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(arn(other))))));
        snapshot.match("put_destination_invalid_service_arn", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onSuccess(s -> s.destination(
                        fnArn.replace(":lambda:", ":iam:")))))));
        snapshot.match("put_destination_success_no_destination_arn", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onSuccess(s -> { }))));
        snapshot.match("put_destination_failure_no_destination_arn", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onFailure(s -> { }))));
        snapshot.match("put_destination_invalid_arn_pattern", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).destinationConfig(d -> d.onFailure(s -> s.destination(
                        fnArn.replace(":lambda:", ":_-/!lambda:")))))));

        snapshot.match("put_destination_latest", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(1)));
        snapshot.match("put_destination_latest_explicit_qualifier", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).qualifier("$LATEST").maximumRetryAttempts(1)));
        snapshot.match("put_destination_version", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("1").maximumRetryAttempts(1)));
        snapshot.match("put_alias_functionname_qualifier", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).qualifier("eventinvokealias").maximumRetryAttempts(1)));
        snapshot.match("put_alias_doesnotexist", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).qualifier("eventinvokealiasdoesnotexist").maximumRetryAttempts(1))));
        snapshot.match("put_alias_qualifiedarn", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(alias.aliasArn()).maximumRetryAttempts(1)));
        snapshot.match("put_alias_qualifiedarn_qualifier", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(alias.aliasArn()).qualifier("eventinvokealias").maximumRetryAttempts(1)));
        snapshot.match("put_alias_qualifiedarn_qualifierconflict", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(alias.aliasArn()).qualifier("eventinvokealiasdoesnotexist").maximumRetryAttempts(1))));
        snapshot.match("put_alias_shorthand", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":eventinvokealias").maximumRetryAttempts(1)));
        snapshot.match("put_alias_shorthand_qualifier", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":eventinvokealias").qualifier("eventinvokealias").maximumRetryAttempts(1)));
        snapshot.match("put_alias_shorthand_qualifierconflict", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":eventinvokealias").qualifier("eventinvokealiasdoesnotexist")
                .maximumRetryAttempts(1))));
        snapshot.match("put_version_shorthand", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":1").maximumRetryAttempts(1)));
        snapshot.match("put_shorthand_qualifier_match", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":$LATEST").qualifier("$LATEST").maximumRetryAttempts(1)));
        snapshot.match("put_shorthand_qualifier_mismatch_1", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":1").qualifier("$LATEST").maximumRetryAttempts(1))));
        snapshot.match("put_shorthand_qualifier_mismatch_2", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":$LATEST").qualifier("1").maximumRetryAttempts(1))));
        snapshot.match("put_shorthand_qualifier_mismatch_3", error(() -> lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name + ":1").qualifier("eventinvokealias").maximumRetryAttempts(1))));

        snapshot.match("put_maxevent_maxvalue_result", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(2).maximumEventAgeInSeconds(21600)));
        snapshot.match("put_pre_overwrite", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(2).maximumEventAgeInSeconds(60)));
        snapshot.match("put_post_overwrite", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(0)));
        snapshot.match("second_overwrite_existing_response", lambda.putFunctionEventInvokeConfig(r -> r
                .functionName(name).maximumRetryAttempts(0)));
        var afterOverwrite = lambda.getFunctionEventInvokeConfig(r -> r.functionName(name));
        snapshot.match("get_post_overwrite", afterOverwrite);
        assertThat(afterOverwrite.maximumRetryAttempts()).isZero();
        assertThat(afterOverwrite.maximumEventAgeInSeconds()).isNull();

        snapshot.match("pre_update_response", lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(2).maximumEventAgeInSeconds(60)));
        snapshot.match("update_response", lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(0)));
        snapshot.match("update_response_existing", lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(0)));
        var afterUpdate = lambda.getFunctionEventInvokeConfig(r -> r.functionName(name));
        assertThat(afterUpdate.maximumRetryAttempts()).isZero();
        assertThat(afterUpdate.maximumEventAgeInSeconds()).isEqualTo(60);

        snapshot.match("list_configs", lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)));
        var paged = lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name).maxItems(2));
        assertThat(paged.functionEventInvokeConfigs()).hasSize(2);
        assertThat(paged.nextMarker()).isNotEmpty();

        snapshot.match("delete_latest", lambda.deleteFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("$LATEST")));
        snapshot.match("delete_version", lambda.deleteFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("1")));
        snapshot.match("delete_alias", lambda.deleteFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("eventinvokealias")));
        snapshot.match("list_configs_postdelete", lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)));

        snapshot.match("delete_function_not_found", error(() -> lambda.deleteFunctionEventInvokeConfig(r -> r
                .functionName(name))));
        snapshot.match("delete_function_doesnotexist", error(() -> lambda.deleteFunctionEventInvokeConfig(r -> r
                .functionName("doesnotexist"))));
        snapshot.match("list_function_doesnotexist", error(() -> lambda.listFunctionEventInvokeConfigs(r -> r
                .functionName("doesnotexist"))));
        snapshot.match("get_function_doesnotexist", error(() -> lambda.getFunctionEventInvokeConfig(r -> r
                .functionName("doesnotexist"))));
        snapshot.match("get_qualifier_doesnotexist", error(() -> lambda.getFunctionEventInvokeConfig(r -> r
                .functionName(name).qualifier("doesnotexist"))));
        snapshot.match("update_eventinvokeconfig_function_doesnotexist", error(() -> lambda
                .updateFunctionEventInvokeConfig(r -> r.functionName("doesnotexist").maximumRetryAttempts(0))));
        snapshot.match("get_eventinvokeconfig_doesnotexist", error(() -> lambda.getFunctionEventInvokeConfig(r -> r
                .functionName(alias.aliasArn()))));
        snapshot.match("update_eventinvokeconfig_config_doesnotexist_with_qualifier", error(() -> lambda
                .updateFunctionEventInvokeConfig(r -> r.functionName(alias.aliasArn()).maximumRetryAttempts(0))));
        snapshot.match("update_eventinvokeconfig_config_doesnotexist_without_qualifier", error(() -> lambda
                .updateFunctionEventInvokeConfig(r -> r.functionName(fnArn).maximumRetryAttempts(0))));
    }

    // ---------------------------------------------------------------- Lamina's own checks

    @Test
    void get_afterPutWithOneMember_leavesTheOthersUnset_andReportsWhenItWasPut() {
        String name = name("eic-defaults");
        create(lambda, fixtureRequest(name));
        Instant before = Instant.now().minusSeconds(1);
        PutFunctionEventInvokeConfigResponse put = lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumEventAgeInSeconds(300));

        GetFunctionEventInvokeConfigResponse got = lambda.getFunctionEventInvokeConfig(r -> r.functionName(name));
        assertThat(got.functionArn()).isEqualTo(arn(name) + ":$LATEST");
        assertThat(got.maximumEventAgeInSeconds()).isEqualTo(300);
        assertThat(got.maximumRetryAttempts()).isNull();
        assertThat(got.destinationConfig().onSuccess().destination()).isNull();
        assertThat(got.destinationConfig().onFailure().destination()).isNull();
        // epoch seconds with milliseconds, as the SDK parsed them
        assertThat(got.lastModified()).isEqualTo(put.lastModified()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(Duration.between(got.lastModified().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                got.lastModified())).isZero();
    }

    @Test
    void update_changesOnlyWhatItGives_andEachDestinationOnItsOwn() {
        String name = name("eic-merge");
        create(lambda, fixtureRequest(name));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).maximumRetryAttempts(1)
                .destinationConfig(d -> d.onSuccess(s -> s.destination(QUEUE)).onFailure(f -> f.destination(TOPIC))));

        var onFailureOnly = lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onFailure(f -> f.destination(BUS))));
        assertThat(onFailureOnly.maximumRetryAttempts()).isEqualTo(1);
        assertThat(onFailureOnly.maximumEventAgeInSeconds()).isNull();
        assertThat(onFailureOnly.destinationConfig().onSuccess().destination()).isEqualTo(QUEUE);
        assertThat(onFailureOnly.destinationConfig().onFailure().destination()).isEqualTo(BUS);

        var ageOnly = lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name).maximumEventAgeInSeconds(3600));
        assertThat(ageOnly.maximumRetryAttempts()).isEqualTo(1);
        assertThat(ageOnly.maximumEventAgeInSeconds()).isEqualTo(3600);
        assertThat(ageOnly.destinationConfig().onSuccess().destination()).isEqualTo(QUEUE);
        assertThat(ageOnly.destinationConfig().onFailure().destination()).isEqualTo(BUS);

        // OnSuccess without a Destination removes that one destination only.
        var cleared = lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onSuccess(s -> { })));
        assertThat(cleared.destinationConfig().onSuccess().destination()).isNull();
        assertThat(cleared.destinationConfig().onFailure().destination()).isEqualTo(BUS);
        assertThat(lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)).destinationConfig()
                .onFailure().destination()).isEqualTo(BUS);

        // Put replaces: what it leaves out is gone.
        var replaced = lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).maximumRetryAttempts(0));
        assertThat(replaced.maximumEventAgeInSeconds()).isNull();
        assertThat(replaced.destinationConfig().onFailure().destination()).isNull();
    }

    @Test
    void configs_areKeptPerQualifier() {
        String name = name("eic-qualifiers");
        create(lambda, fixtureRequest(name));
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));

        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).maximumRetryAttempts(0));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("1").maximumRetryAttempts(1));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name + ":live").maximumRetryAttempts(2)
                .destinationConfig(d -> d.onFailure(f -> f.destination(QUEUE))));

        assertThat(lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)).maximumRetryAttempts()).isZero();
        assertThat(lambda.getFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("1"))
                .maximumRetryAttempts()).isEqualTo(1);
        var live = lambda.getFunctionEventInvokeConfig(r -> r.functionName(arn(name) + ":live"));
        assertThat(live.functionArn()).isEqualTo(arn(name) + ":live");
        assertThat(live.maximumRetryAttempts()).isEqualTo(2);
        assertThat(live.destinationConfig().onFailure().destination()).isEqualTo(QUEUE);
        assertThat(lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)).functionEventInvokeConfigs())
                .extracting(FunctionEventInvokeConfig::functionArn, FunctionEventInvokeConfig::maximumRetryAttempts)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(arn(name) + ":$LATEST", 0),
                        org.assertj.core.groups.Tuple.tuple(arn(name) + ":1", 1),
                        org.assertj.core.groups.Tuple.tuple(arn(name) + ":live", 2));
    }

    @Test
    void put_onAMissingVersion_isNotFound_andGetOfAMissingVersionNamesIt() {
        String name = name("eic-missing");
        create(lambda, fixtureRequest(name));
        AwsServiceException put = error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("7").maximumRetryAttempts(1)));
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(put.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
        assertThat(put.awsErrorDetails().errorMessage()).isEqualTo("The function doesn't exist.");
        AwsServiceException get = error(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)
                .qualifier("7")));
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(get.awsErrorDetails().errorMessage())
                .isEqualTo("The function " + arn(name) + ":7 doesn't have an EventInvokeConfig");
    }

    @Test
    void outOfRangeSettings_areValidationErrors() {
        String name = name("eic-ranges");
        create(lambda, fixtureRequest(name));
        assertValidation(error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(3))), "1 validation error detected: Value '3' at 'maximumRetryAttempts' "
                + "failed to satisfy constraint: Member must have value less than or equal to 2");
        assertValidation(error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumRetryAttempts(-1))), "1 validation error detected: Value '-1' at 'maximumRetryAttempts' "
                + "failed to satisfy constraint: Member must have value greater than or equal to 0");
        assertValidation(error(() -> lambda.updateFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumEventAgeInSeconds(59))), "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' "
                + "failed to satisfy constraint: Member must have value greater than or equal to 60");
        assertValidation(error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .maximumEventAgeInSeconds(21601))), "1 validation error detected: Value '21601' at "
                + "'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600");
        assertValidation(error(() -> lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name).maxItems(51))),
                "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 50");
        assertThat(error(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(name))).statusCode())
                .as("nothing was stored").isEqualTo(404);
    }

    @Test
    void s3Destinations_areRejected_asLaminaCannotDeliverToS3() {
        String name = name("eic-s3");
        create(lambda, fixtureRequest(name));
        AwsServiceException onFailure = error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::failed-events")))));
        assertThat(onFailure.statusCode()).isEqualTo(400);
        assertThat(onFailure.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(onFailure.awsErrorDetails().errorMessage()).startsWith("Lamina does not support S3 destinations");
        // AWS takes S3 only on failure: on success it is an invalid destination config.
        AwsServiceException onSuccess = error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:s3:::ok-events")))));
        assertThat(onSuccess.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(onSuccess.awsErrorDetails().errorMessage()).isEqualTo("The provided destination config "
                + "DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:s3:::ok-events), onFailure=null) is invalid.");
    }

    @Test
    void acceptedDestinations_areQueuesTopicsBusesAndOtherFunctions() {
        String name = name("eic-kinds");
        String target = name("eic-target");
        create(lambda, fixtureRequest(name));
        create(lambda, fixtureRequest(target));
        lambda.publishVersion(r -> r.functionName(target));
        for (String destination : List.of(QUEUE, TOPIC, BUS, arn(target), arn(target) + ":1")) {
            var put = lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                    .destinationConfig(d -> d.onFailure(f -> f.destination(destination))));
            assertThat(put.destinationConfig().onFailure().destination()).isEqualTo(destination);
        }
        AwsServiceException missingVersion = error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onFailure(f -> f.destination(arn(target) + ":9")))));
        assertThat(missingVersion.awsErrorDetails().errorMessage())
                .isEqualTo("The destination ARN " + arn(target) + ":9 is invalid.");
        AwsServiceException selfVersion = error(() -> lambda.putFunctionEventInvokeConfig(r -> r.functionName(name)
                .destinationConfig(d -> d.onFailure(f -> f.destination(arn(name) + ":$LATEST")))));
        assertThat(selfVersion.awsErrorDetails().errorMessage())
                .isEqualTo("You can't specify the function as a destination for itself.");
    }

    @Test
    void deletingTheAliasVersionOrFunction_deletesItsConfig() {
        String name = name("eic-delete");
        create(lambda, fixtureRequest(name));
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).maximumRetryAttempts(0));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("1").maximumRetryAttempts(1));
        lambda.putFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("live").maximumRetryAttempts(2));

        lambda.deleteAlias(r -> r.functionName(name).name("live"));
        assertThat(arns(name)).containsExactly(arn(name) + ":$LATEST", arn(name) + ":1");
        // A new alias of the same name starts without a configuration.
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        assertThat(error(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("live")))
                .statusCode()).isEqualTo(404);

        lambda.deleteAlias(r -> r.functionName(name).name("live"));
        lambda.deleteFunction(r -> r.functionName(name).qualifier("1"));
        assertThat(arns(name)).containsExactly(arn(name) + ":$LATEST");

        lambda.deleteFunction(r -> r.functionName(name));
        create(lambda, fixtureRequest(name));
        assertThat(arns(name)).isEmpty();
        AwsServiceException gone = error(() -> lambda.getFunctionEventInvokeConfig(r -> r.functionName(name)));
        assertThat(gone.awsErrorDetails().errorMessage())
                .isEqualTo("The function " + arn(name) + ":$LATEST doesn't have an EventInvokeConfig");
    }

    @Test
    void configs_surviveARestart() {
        String name = "eic-persistent";
        java.nio.file.Path dataDir;
        Instant lastModified;
        try (LaminaFixture first = ApiTestSupport.start()) {
            dataDir = first.dataDir();
            LambdaClient l = first.lambda();
            create(l, fixtureRequest(name));
            l.publishVersion(r -> r.functionName(name));
            l.putFunctionEventInvokeConfig(r -> r.functionName(name).maximumRetryAttempts(1).maximumEventAgeInSeconds(900)
                    .destinationConfig(d -> d.onSuccess(s -> s.destination(TOPIC)).onFailure(f -> f.destination(QUEUE))));
            lastModified = l.putFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("1")
                    .maximumRetryAttempts(0)).lastModified();
        }
        try (LaminaFixture second = ApiTestSupport.startOn(dataDir)) {
            LambdaClient l = second.lambda();
            awaitSettled(l, name);
            var latest = l.getFunctionEventInvokeConfig(r -> r.functionName(name));
            assertThat(latest.maximumRetryAttempts()).isEqualTo(1);
            assertThat(latest.maximumEventAgeInSeconds()).isEqualTo(900);
            assertThat(latest.destinationConfig().onSuccess().destination()).isEqualTo(TOPIC);
            assertThat(latest.destinationConfig().onFailure().destination()).isEqualTo(QUEUE);
            var v1 = l.getFunctionEventInvokeConfig(r -> r.functionName(name).qualifier("1"));
            assertThat(v1.maximumRetryAttempts()).isZero();
            assertThat(v1.maximumEventAgeInSeconds()).isNull();
            assertThat(v1.lastModified()).isEqualTo(lastModified);
        }
    }

    private static List<String> arns(String name) {
        return lambda.listFunctionEventInvokeConfigs(r -> r.functionName(name)).functionEventInvokeConfigs().stream()
                .map(FunctionEventInvokeConfig::functionArn).toList();
    }

    private static void assertValidation(AwsServiceException e, String message) {
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    }
}
