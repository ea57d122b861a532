package io.lamina.it.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.GetAccountSettingsResponse;

import java.util.TreeSet;

import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/** Put/Get/DeleteFunctionConcurrency and GetAccountSettings. */
class ConcurrencyAndAccountTest extends ApiTest {

    @Test
    void reservedConcurrency_onMissingFunctionsOrQualifiedArns_isRejected() {
        var snapshot = Snapshot.of("TestLambdaReservedConcurrency::test_function_concurrency_exceptions");
        snapshot.match("put_function_concurrency_with_function_name_doesnotexist", error(() -> lambda
                .putFunctionConcurrency(r -> r.functionName("doesnotexist").reservedConcurrentExecutions(1))));
        snapshot.match("put_function_concurrency_with_function_name_doesnotexist_and_invalid_concurrency", error(() -> lambda
                .putFunctionConcurrency(r -> r.functionName("doesnotexist").reservedConcurrentExecutions(0))));
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        String qualified = lambda.getFunctionConfiguration(r -> r.functionName(name).qualifier("$LATEST")).functionArn();
        assertThat(qualified).isEqualTo(arn(name) + ":$LATEST");
        snapshot.match("put_function_concurrency_with_qualified_arn", error(() -> lambda
                .putFunctionConcurrency(r -> r.functionName(qualified).reservedConcurrentExecutions(0))));
    }

    @Test
    void reservedConcurrency_putGetDelete() {
        var snapshot = Snapshot.of("TestLambdaReservedConcurrency::test_function_concurrency");
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        snapshot.match("put_function_concurrency_with_reserved_0", lambda.putFunctionConcurrency(r -> r
                .functionName(name).reservedConcurrentExecutions(0)));
        snapshot.match("put_function_concurrency_with_reserved_1", lambda.putFunctionConcurrency(r -> r
                .functionName(name).reservedConcurrentExecutions(1)));
        snapshot.match("get_function_concurrency", lambda.getFunctionConcurrency(r -> r.functionName(name)));
        assertThat(lambda.getFunction(r -> r.functionName(name)).concurrency().reservedConcurrentExecutions()).isEqualTo(1);
        snapshot.match("delete_response", lambda.deleteFunctionConcurrency(r -> r.functionName(name)));
        snapshot.match("get_function_concurrency_after_delete", lambda.getFunctionConcurrency(r -> r.functionName(name)));
        assertThat(lambda.getFunction(r -> r.functionName(name)).concurrency()).isNull();

        // The most one function may reserve: everything but the account's minimum unreserved share.
        GetAccountSettingsResponse account = lambda.getAccountSettings(r -> { });
        int max = account.accountLimit().unreservedConcurrentExecutions() - 100;
        assertThat(lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(max))
                .reservedConcurrentExecutions()).isEqualTo(max);
        assertThat(lambda.getAccountSettings(r -> { }).accountLimit().unreservedConcurrentExecutions()).isEqualTo(100);
        lambda.deleteFunctionConcurrency(r -> r.functionName(name));
    }

    @Test
    void reservedConcurrency_beyondTheUnreservedMinimum_isRejected() {
        var snapshot = Snapshot.of("TestLambdaReservedConcurrency::test_function_concurrency_limits")
                .bind("<min_unreserved_concurrency>", "100");
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        int limit = lambda.getAccountSettings(r -> { }).accountLimit().concurrentExecutions();
        snapshot.match("put_function_concurrency_account_limit_exceeded", error(() -> lambda.putFunctionConcurrency(r -> r
                .functionName(name).reservedConcurrentExecutions(limit + 1))));
        snapshot.match("put_function_concurrency_below_unreserved_min_value", error(() -> lambda.putFunctionConcurrency(r -> r
                .functionName(name).reservedConcurrentExecutions(limit))));
    }

    @Test
    void getAccountSettings_reportsLimitsAndUsage() {
        var snapshot = Snapshot.of("TestLambdaAccountSettings::test_account_settings");
        GetAccountSettingsResponse settings = lambda.getAccountSettings(r -> { });
        var json = SdkJson.response(settings);
        var limitKeys = new TreeSet<String>();
        json.get("AccountLimit").fieldNames().forEachRemaining(limitKeys::add);
        var usageKeys = new TreeSet<String>();
        json.get("AccountUsage").fieldNames().forEachRemaining(usageKeys::add);
        json.putArray("AccountLimit").addAll(limitKeys.stream().map(SdkJson.JSON.getNodeFactory()::textNode).toList());
        json.putArray("AccountUsage").addAll(usageKeys.stream().map(SdkJson.JSON.getNodeFactory()::textNode).toList());
        snapshot.match("acc_settings_modded", json);

        assertThat(settings.accountLimit().codeSizeZipped()).isEqualTo(52_428_800L);
        assertThat(settings.accountLimit().codeSizeUnzipped()).isEqualTo(262_144_000L);
        assertThat(settings.accountLimit().totalCodeSize()).isEqualTo(80_530_636_800L);
        assertThat(settings.accountLimit().concurrentExecutions()).isEqualTo(1000);
    }

    @Test
    void getAccountSettings_countsFunctionsAndTheirCode() {
        var before = lambda.getAccountSettings(r -> { }).accountUsage();
        String name = name("fn");
        create(lambda, fixtureRequest(name).publish(true));
        var after = lambda.getAccountSettings(r -> { }).accountUsage();
        assertThat(after.functionCount()).isEqualTo(before.functionCount() + 1);
        // $LATEST and version 1 share one package, counted once per version as AWS does.
        long size = lambda.getFunctionConfiguration(r -> r.functionName(name)).codeSize();
        assertThat(after.totalCodeSize()).isEqualTo(before.totalCodeSize() + 2L * size);
        lambda.deleteFunction(r -> r.functionName(name));
        assertThat(lambda.getAccountSettings(r -> { }).accountUsage().functionCount()).isEqualTo(before.functionCount());
    }
}
