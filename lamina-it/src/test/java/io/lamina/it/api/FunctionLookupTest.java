package io.lamina.it.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.lamina.it.api.ApiTestSupport.ACCOUNT;
import static io.lamina.it.api.ApiTestSupport.REGION;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the function operations resolve names, partial and full ARNs and qualifiers, and what they
 * answer when the function, version, region or qualifier is wrong.
 */
class FunctionLookupTest extends ApiTest {

    /** One of the operations the recorded tests call with only FunctionName (and Qualifier). */
    private static void call(String op, String functionName, String qualifier) {
        switch (op) {
            case "get_function" -> lambda.getFunction(r -> r.functionName(functionName).qualifier(qualifier));
            case "get_function_configuration" ->
                    lambda.getFunctionConfiguration(r -> r.functionName(functionName).qualifier(qualifier));
            case "delete_function" -> lambda.deleteFunction(r -> r.functionName(functionName).qualifier(qualifier));
            case "get_function_concurrency" -> lambda.getFunctionConcurrency(r -> r.functionName(functionName));
            case "get_function_event_invoke_config" ->
                    lambda.getFunctionEventInvokeConfig(r -> r.functionName(functionName).qualifier(qualifier));
            case "invoke" -> lambda.invoke(r -> r.functionName(functionName).qualifier(qualifier)
                    .payload(SdkBytes.fromUtf8String("{}")));
            default -> throw new IllegalArgumentException(op);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete_function", "get_function", "get_function_configuration"})
    void qualifiedArn_withADifferentQualifierParameter_isRejected(String op) {
        var snapshot = Snapshot.of("TestLambdaFunction::test_ops_with_arn_qualifier_mismatch[" + op + "]");
        String arn = ApiTestSupport.arn("some-function");
        snapshot.match("not_match_exception", error(() -> call(op, arn + ":1", "$LATEST")));
        snapshot.match("match_exception", error(() -> call(op, arn + ":$LATEST", "$LATEST")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get_function", "get_function_configuration", "get_function_event_invoke_config"})
    void existingFunction_withAMissingVersion_isNotFound(String op) {
        String name = name("i-exist");
        var snapshot = Snapshot.of("TestLambdaFunction::test_ops_on_nonexisting_version[" + op + "]")
                .bind("<fn-name>", name);
        create(lambda, fixtureRequest(name).description("Initial description"));
        snapshot.match("version_not_found_exception", error(() -> call(op, name, "1221")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete_function", "get_function", "get_function_configuration", "get_function_concurrency",
            "get_function_event_invoke_config"})
    void missingFunction_isNotFound(String op) {
        String name = name("i-dont-exist");
        var snapshot = Snapshot.of("TestLambdaFunction::test_ops_on_nonexisting_fn[" + op + "]")
                .bind("<nonexisting-fn-name>", name);
        snapshot.match("not_found_exception", error(() -> call(op, name, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get_function", "get_function_configuration", "get_function_concurrency",
            "delete_function", "invoke", "get_function_event_invoke_config"})
    void arnOfAnotherRegion_isNotReachable(String op) {
        String name = name("i-exist");
        var snapshot = Snapshot.of("TestLambdaFunction::test_get_function_wrong_region[" + op + "]")
                .bind("<fn-name>", name).bind("<wrong-region>", "eu-central-1");
        create(lambda, fixtureRequest(name).description("Initial description"));
        String wrongRegionArn = "arn:aws:lambda:eu-central-1:" + ACCOUNT + ":function:" + name;
        snapshot.match("wrong_region_exception", error(() -> call(op, wrongRegionArn, null)));
    }

    @Test
    void getFunction_byPartialArnAndFullArn_findsTheFunction() {
        String name = name("fn");
        create(lambda, fixtureRequest(name));
        assertThat(lambda.getFunction(r -> r.functionName(ACCOUNT + ":function:" + name)).configuration()
                .functionArn()).isEqualTo(ApiTestSupport.arn(name));
        assertThat(lambda.getFunction(r -> r.functionName("function:" + name)).configuration().functionName())
                .isEqualTo(name);
        assertThat(lambda.getFunction(r -> r.functionName(ApiTestSupport.arn(name) + ":$LATEST")).configuration()
                .functionArn()).isEqualTo(ApiTestSupport.arn(name) + ":$LATEST");
    }

    @Test
    void arnOfAnotherAccount_isDenied() {
        var e = error(() -> lambda.getFunction(r -> r.functionName("arn:aws:lambda:" + REGION
                + ":123456789012:function:fn")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    }

    // ---------------------------------------------------------- name and qualifier validation

    /**
     * The recorded cases of {@code test_function_name_and_qualifier_validation} for GetFunction and
     * DeleteFunction; LocalStack recorded the code and the list of constraint violations (or the message).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "invalid_characters_in_function_name", "function_name_is_single_invalid", "invalid_characters_in_qualifier",
            "qualifier_too_long", "invalid_account_id_in_partial_arn", "invalid_region_in_arn", "non_lambda_arn",
            "function_name_too_long", "function_name_too_long_and_invalid_region",
            "full_arn_and_qualifier_too_long_and_invalid_region", "full_arn_with_multiple_qualifiers", "incomplete_arn",
            "partial_arn_with_extra_qualifier", "latest_version_with_additional_qualifier", "lowercase_latest_qualifier",
            "missing_region_in_arn", "missing_account_id_in_arn", "misspelled_latest_in_arn"})
    void malformedNamesAndQualifiers_areAnsweredLikeAws(String id) {
        String[] input = nameAndQualifier(id);
        for (String op : List.of("get_function", "delete_function")) {
            var snapshot = Snapshot.of("TestLambdaFunction::test_function_name_and_qualifier_validation[" + id + "-" + op + "]")
                    .bind("<a:len(65)>", "a".repeat(65)).bind("<a:len(129)>", "a".repeat(129))
                    .bind("<a:len(" + (op.equals("get_function") ? 170 : 140) + ")>",
                            "a".repeat(op.equals("get_function") ? 170 : 140));
            AwsServiceException e = error(() -> call(op, input[0], input[1]));
            snapshot.match(op + "_exception", extract(e));
        }
    }

    static String[] nameAndQualifier(String id) {
        String arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function";
        return switch (id) {
            case "invalid_characters_in_function_name" -> new String[]{"my-function!", null};
            case "function_name_is_single_invalid" -> new String[]{"*", null};
            case "invalid_characters_in_qualifier" -> new String[]{"my-function", "invalid!"};
            case "qualifier_too_long" -> new String[]{"my-function", "a".repeat(129)};
            case "invalid_account_id_in_partial_arn" -> new String[]{"invalid-account:function:my-function", null};
            case "invalid_region_in_arn" -> new String[]{"arn:aws:lambda:invalid-region:" + ACCOUNT + ":function:my-function", null};
            case "non_lambda_arn" -> new String[]{"arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":instance:i-1234567890abcdef0", null};
            case "function_name_too_long" -> new String[]{"a".repeat(65), null};
            case "function_name_too_long_and_invalid_region" ->
                    new String[]{"arn:aws:lambda:invalid-region:" + ACCOUNT + ":function:my-function" + "a".repeat(170), null};
            case "full_arn_and_qualifier_too_long_and_invalid_region" ->
                    new String[]{"arn:aws:lambda:invalid-region:" + ACCOUNT + ":function:my-function-" + "a".repeat(170),
                            "a".repeat(129)};
            case "full_arn_with_multiple_qualifiers" -> new String[]{arn + ":my-function:1:2", null};
            case "incomplete_arn" -> new String[]{arn, null};
            case "partial_arn_with_extra_qualifier" -> new String[]{"function:my-function:$LATEST:extra", null};
            case "latest_version_with_additional_qualifier" -> new String[]{arn + ":my-function:$LATEST", "1"};
            case "lowercase_latest_qualifier" -> new String[]{arn + ":my-function", "$latest"};
            case "missing_region_in_arn" -> new String[]{"arn:aws:lambda::" + ACCOUNT + ":function:my-function", null};
            case "missing_account_id_in_arn" -> new String[]{"arn:aws:lambda:" + REGION + "::function:my-function", null};
            case "misspelled_latest_in_arn" -> new String[]{arn + ":my-function:$LATES", null};
            default -> throw new IllegalArgumentException(id);
        };
    }

    /** LocalStack's {@code _extract_from_error_message}: the code and the sorted constraint violations, or the message. */
    static com.fasterxml.jackson.databind.node.ObjectNode extract(AwsServiceException e) {
        var out = SdkJson.JSON.createObjectNode();
        String message = e.awsErrorDetails().errorMessage();
        Matcher m = Pattern.compile("(Value '.*?' at '.*?' failed to satisfy constraint: .+?(?=;|$))").matcher(message);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        out.put("Code", e.awsErrorDetails().errorCode());
        if (found.isEmpty()) {
            out.put("Message", message);
        } else {
            var errors = out.putArray("Errors");
            found.stream().sorted().forEach(errors::add);
            out.put("Count", found.size());
        }
        return out;
    }
}
