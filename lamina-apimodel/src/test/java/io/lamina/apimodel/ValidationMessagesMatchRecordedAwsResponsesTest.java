package io.lamina.apimodel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.lamina.apimodel.Requests.MODEL;
import static io.lamina.apimodel.Requests.anonymise;
import static io.lamina.apimodel.Requests.placeholders;
import static io.lamina.apimodel.Requests.substitute;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the requests of LocalStack's AWS-validated Lambda tests whose recorded answer is a
 * {@code ValidationException}, and compares our message with the recorded one byte for byte (after
 * putting back LocalStack's placeholders, as its snapshot transformers did).
 */
class ValidationMessagesMatchRecordedAwsResponsesTest {

    private static final String API = "test_lambda_api.snapshot.json";
    private static final String LAMBDA = "test_lambda.snapshot.json";
    private static final String ROLE = "arn:aws:iam::111111111111:role/lambda-role";
    private static final String FN_ARN_PREFIX = "arn:<partition>:lambda:<region>:111111111111:function:";

    /** LocalStack's account and region transformers; test-specific placeholders are added per case. */
    private static Map<String, String> common(String... more) {
        Map<String, String> m = placeholders("arn:<partition>:", "arn:aws:", "<region>", "us-east-1");
        m.putAll(placeholders(more));
        return m;
    }

    /**
     * One recorded case.
     *
     * @param target the request target with placeholders; {@code {{...}}} is percent-encoded as a label
     */
    record Case(String file, String test, String key, String method, String target, String body,
                Map<String, String> values) {

        @Override
        public String toString() {
            return test + " / " + key;
        }
    }

    private static Case api(String test, String key, String method, String target, String body, Map<String, String> values) {
        return new Case(API, test, key, method, target, body, values);
    }

    private static String createFunctionBody(String extraJson) {
        return "{\"FunctionName\":\"fn-abc123\",\"Handler\":\"index.handler\",\"Code\":{\"ZipFile\":\"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\"},"
                + "\"PackageType\":\"Zip\",\"Role\":\"" + ROLE + "\",\"Runtime\":\"python3.12\"" + extraJson + "}";
    }

    static Stream<Case> recordedValidationErrors() {
        String longName = "a".repeat(140 - "arn:aws:lambda:us-east-1:111111111111:function:".length() + 1);
        List<Case> cases = new ArrayList<>();
        // CreateFunction
        cases.add(api("test_function_arns", "invalid_function_name_exc", "POST", "/2015-03-31/functions",
                "{\"FunctionName\":\"invalid:function:name\",\"Handler\":\"index.handler\",\"Code\":{\"ZipFile\":\"UEsFBg==\"},"
                        + "\"PackageType\":\"Zip\",\"Role\":\"" + ROLE + "\",\"Runtime\":\"python3.12\"}", common()));
        cases.add(api("test_function_arns", "long_function_arn_exc", "POST", "/2015-03-31/functions",
                "{\"FunctionName\":\"" + FN_ARN_PREFIX + "<function-name>\",\"Handler\":\"index.handler\",\"Code\":{\"ZipFile\":\"UEsFBg==\"},"
                        + "\"PackageType\":\"Zip\",\"Role\":\"" + ROLE + "\",\"Runtime\":\"python3.12\"}",
                common("<function-name>", longName)));
        cases.add(api("test_create_lambda_exceptions", "invalid_role_arn_exc", "POST", "/2015-03-31/functions",
                createFunctionBody("").replace(ROLE, "r1"), common()));
        cases.add(api("test_create_lambda_exceptions", "multiple_architectures", "POST", "/2015-03-31/functions",
                createFunctionBody(",\"Architectures\":[\"x86_64\",\"arm64\"]"), common()));
        cases.add(api("test_create_lambda_exceptions", "uppercase_architecture", "POST", "/2015-03-31/functions",
                createFunctionBody(",\"Architectures\":[\"X86_64\"]"), common()));
        cases.add(api("test_snapstart_exceptions", "create_function_invalid_snapstart_apply", "POST", "/2015-03-31/functions",
                createFunctionBody(",\"SnapStart\":{\"ApplyOn\":\"invalidOption\"}").replace("python3.12", "java21"), common()));
        cases.add(api("test_invalid_vpc_config_subnet", "create-response-invalid-format-subnet-id", "POST", "/2015-03-31/functions",
                createFunctionBody(",\"VpcConfig\":{\"SubnetIds\":[\"<subnet_id_2>\"],\"SecurityGroupIds\":[\"sg-0123456789abcdef0\"]}"),
                common("<subnet_id_2>", "bad-format-1a2b3c4d")));
        cases.add(api("test_invalid_vpc_config_security_group", "create-response-invalid-format-security-group", "POST", "/2015-03-31/functions",
                createFunctionBody(",\"VpcConfig\":{\"SubnetIds\":[\"subnet-1a2b3c4d\"],\"SecurityGroupIds\":[\"<security_group_id_2>\"]}"),
                common("<security_group_id_2>", "bad-format-5e6f7a8b")));
        // UpdateFunctionConfiguration
        cases.add(api("test_update_lambda_exceptions", "invalid_role_arn_exc", "PUT", "/2015-03-31/functions/fn-abc123/configuration",
                "{\"Role\":\"r1\"}", common()));
        cases.add(api("test_layer_function_exceptions", "add_layer_arn_without_version_exc", "PUT", "/2015-03-31/functions/fn-abc123/configuration",
                "{\"Layers\":[\"arn:<partition>:lambda:<region>:111111111111:layer:<resource:1>\"]}",
                common("<resource:1>", "layer-1a2b3c4d")));
        // ListFunctions
        cases.add(api("test_list_functions", "list_functions_invalid_functionversion", "GET", "/2015-03-31/functions?FunctionVersion=invalid",
                null, common()));
        // Invoke
        cases.add(api("test_invalid_invoke", "invoke_function_name_pattern_exc", "POST",
                "/2015-03-31/functions/{{arn:<partition>:lambda:<region>:123400000000@function:myfn}}/invocations", "{}", common()));
        // Aliases
        cases.add(api("test_alias_naming", "create_alias_number_exception", "POST", "/2015-03-31/functions/fn-abc123/aliases",
                "{\"Name\":\"2024\",\"FunctionVersion\":\"1\",\"Description\":\"custom-alias\"}", common()));
        cases.add(api("test_notfound_and_invalid_routingconfigs", "routing_config_exc_toohigh", "POST", "/2015-03-31/functions/fn-abc123/aliases",
                "{\"Name\":\"custom\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":2}}}", common()));
        cases.add(api("test_notfound_and_invalid_routingconfigs", "routing_config_exc_subzero", "POST", "/2015-03-31/functions/fn-abc123/aliases",
                "{\"Name\":\"custom\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":-1}}}", common()));
        cases.add(api("test_notfound_and_invalid_routingconfigs", "routing_config_exc_version_latest", "POST", "/2015-03-31/functions/fn-abc123/aliases",
                "{\"Name\":\"custom\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"$LATEST\":0.5}}}", common()));
        // Permissions
        cases.add(api("test_permission_exceptions", "add_permission_invalid_statement_id", "POST", "/2015-03-31/functions/{{<function-name>}}/policy",
                "{\"Action\":\"lambda:InvokeFunction\",\"StatementId\":\"example.com\",\"Principal\":\"s3.amazonaws.com\"}",
                common("<function-name>", "lambda_func-1a2b3c4d")));
        cases.add(api("test_permission_exceptions", "add_permission_fn_qualifier_invalid", "POST",
                "/2015-03-31/functions/{{<function-name>}}/policy?Qualifier={{invalid-qualifier-with-?-char}}",
                "{\"Action\":\"lambda:InvokeFunction\",\"StatementId\":\"s3\",\"Principal\":\"s3.amazonaws.com\",\"SourceArn\":\"arn:aws:s3:::test-bucket\"}",
                common("<function-name>", "lambda_func-1a2b3c4d")));
        // Event invoke config
        cases.add(api("test_lambda_eventinvokeconfig_exceptions", "put_destination_invalid_arn_pattern", "PUT",
                "/2019-09-25/functions/<function-name:1>/event-invoke-config",
                "{\"DestinationConfig\":{\"OnFailure\":{\"Destination\":\"arn:<partition>:_-/!lambda:<region>:111111111111:function:<function-name:1>\"}}}",
                common("<function-name:1>", "lambda_func-5e6f7a8b")));
        // Event source mappings
        for (String test : List.of("test_create_event_source_validation", "test_create_event_source_validation_kinesis")) {
            cases.add(api(test, "invalid_starting_position", "POST", "/2015-03-31/event-source-mappings",
                    "{\"FunctionName\":\"fn-abc123\",\"EventSourceArn\":\"arn:aws:kinesis:us-east-1:111111111111:stream/s1\",\"StartingPosition\":\"invalid\"}",
                    common()));
        }
        // Tags
        cases.add(api("test_tag_exceptions", "tag_lambda_invalidarn", "POST", "/2017-03-31/tags/{{arn:<partition>:something}}",
                "{\"Tags\":{\"key_a\":\"value_a\"}}", common()));
        cases.add(api("test_tag_exceptions", "untag_empty_keys", "DELETE", "/2017-03-31/tags/{{" + FN_ARN_PREFIX + "fn-tag-1a2b}}",
                null, common()));
        String uuid = "3f1c2b9a-7d4e-4c1b-9a8f-0e5d6c7b8a91";
        for (String kind : List.of("lambda_function", "event_source_mapping", "capacity_provider")) {
            cases.add(api("test_tag_exceptions[" + kind + "]", "invalid_arn_exception", "GET",
                    "/2017-03-31/tags/{{arn:<partition>:lambda:<region>:111111111111:foobar:<resource-name>}}", null,
                    common("<resource-name>", uuid)));
        }
        cases.add(api("test_tag_exceptions[event_source_mapping]", "aliased_arn_exception", "GET",
                "/2017-03-31/tags/{{arn:<partition>:lambda:<region>:111111111111:event-source-mapping:<resource-name>:alias}}", null,
                common("<resource-name>", uuid)));
        cases.add(api("test_tag_exceptions[capacity_provider]", "aliased_arn_exception", "GET",
                "/2017-03-31/tags/{{arn:<partition>:lambda:<region>:111111111111:capacity-provider:<resource-name>:alias}}", null,
                common("<resource-name>", uuid)));
        // Function URL configs: the qualifier pattern forbids versions and $LATEST.
        Map<String, String> qualifiers = Map.of("name_doesnotexist_qualifier", "1", "qualifier_version", "1",
                "qualifier_version_doesnotexist", "2", "qualifier_latest", "$LATEST");
        Map<String, String[]> ops = Map.of("create", new String[] {"POST", "{\"AuthType\":\"NONE\"}"},
                "get", new String[] {"GET", null}, "delete", new String[] {"DELETE", null},
                "update", new String[] {"PUT", "{\"AuthType\":\"NONE\"}"});
        ops.forEach((op, http) -> qualifiers.forEach((suffix, qualifier) ->
                cases.add(api("test_url_config_exceptions", op + "_function_url_config_" + suffix, http[0],
                        "/2021-10-31/functions/fn-abc123/url?Qualifier={{" + qualifier + "}}", http[1], common()))));
        cases.add(new Case(LAMBDA, "test_lambda_url_invalid_invoke_mode", "invoke_function_invalid_invoke_type", "POST",
                "/2021-10-31/functions/fn-abc123/url", "{\"AuthType\":\"NONE\",\"InvokeMode\":\"UNKNOWN\"}", common()));
        return cases.stream();
    }

    /** Percent-encodes {@code {{...}}} spans the way the SDKs encode a label or query value. */
    static String encodeLabels(String target) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int open = target.indexOf("{{", i);
            if (open < 0) {
                out.append(target.substring(i));
                return out.toString();
            }
            int close = target.indexOf("}}", open);
            out.append(target, i, open);
            out.append(URLEncoder.encode(target.substring(open + 2, close), StandardCharsets.UTF_8).replace("+", "%20"));
            i = close + 2;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedValidationErrors")
    void validationMessageIsTheRecordedOne(Case c) {
        GoldenSnapshots.RecordedError recorded = GoldenSnapshots.error(c.file(), c.test(), c.key());
        assertThat(recorded.code()).isEqualTo("ValidationException");
        assertThat(recorded.status()).isEqualTo(400);

        String target = encodeLabels(substitute(c.target(), c.values()));
        String body = c.body() == null ? null : substitute(c.body(), c.values());
        String message = Requests.validationMessage(c.method(), target, body)
                .orElseThrow(() -> new AssertionError("no validation error for " + c));

        assertThat(anonymise(message, c.values())).isEqualTo(recorded.message());
    }

    @Test
    void createFunctionRuntimeIsLeftToTheCallerBecauseAwsAnswersItWithInvalidParameterValue() {
        for (String key : List.of("invalid_runtime_exc", "uppercase_runtime_exc")) {
            assertThat(GoldenSnapshots.error(API, "test_create_lambda_exceptions", key).code())
                    .isEqualTo("InvalidParameterValueException");
            assertThat(GoldenSnapshots.error(API, "test_update_lambda_exceptions", key).code())
                    .isEqualTo("InvalidParameterValueException");
        }
        assertThat(Requests.validationMessage("POST", "/2015-03-31/functions",
                createFunctionBody("").replace("python3.12", "non-existent-runtime"))).isEmpty();
        assertThat(Requests.validationMessage("PUT", "/2015-03-31/functions/f/configuration",
                "{\"Runtime\":\"PYTHON3.9\"}")).isEmpty();
        Operation create = MODEL.operation("CreateFunction").orElseThrow();
        assertThat(MODEL.notValidatedByAws(create)).containsExactly("runtime");
    }

    @Test
    void bareFunctionNameOver64CharactersIsAServiceCheckWordedLikeValidation() {
        // AWS answers InvalidParameterValueException with the validation wording; the model allows 140.
        GoldenSnapshots.RecordedError recorded = GoldenSnapshots.error(API, "test_function_arns", "long_function_name_exc");
        assertThat(recorded.code()).isEqualTo("InvalidParameterValueException");
        String name = "a".repeat(65);
        assertThat(Requests.validationMessage("POST", "/2015-03-31/functions",
                createFunctionBody("").replace("fn-abc123", name))).isEmpty();

        String worded = ValidationResult.render(List.of(Violation.of("functionName", name, Violation.Kind.LENGTH_MAX,
                "Member must have length less than or equal to 64")));
        assertThat(worded).isEqualTo(recorded.message());
    }

    @Test
    void serviceChecksThatPassTheModelAreNotReportedAsValidationErrors() {
        // Recorded as InvalidParameterValueException: the model constraints hold, the service refuses.
        assertThat(GoldenSnapshots.error(API, "test_create_event_source_validation", "no_starting_position").code())
                .isEqualTo("InvalidParameterValueException");
        assertThat(Requests.validationMessage("POST", "/2015-03-31/event-source-mappings",
                "{\"FunctionName\":\"f\",\"EventSourceArn\":\"arn:aws:dynamodb:us-east-1:111111111111:table/t/stream/2024\"}")).isEmpty();

        assertThat(GoldenSnapshots.error(API, "test_tag_exceptions", "tag_empty_tags").code())
                .isEqualTo("InvalidParameterValueException");
        assertThat(Requests.validationMessage("POST", "/2017-03-31/tags/" + encodeLabels("{{arn:aws:lambda:us-east-1:111111111111:function:f}}"),
                "{\"Tags\":{}}")).isEmpty();

        assertThat(GoldenSnapshots.error(API, "test_tag_exceptions[lambda_function]", "aliased_arn_exception").code())
                .isEqualTo("InvalidParameterValueException");
        assertThat(Requests.validationMessage("GET", "/2017-03-31/tags/"
                + encodeLabels("{{arn:aws:lambda:us-east-1:111111111111:function:f:alias}}"), null)).isEmpty();

        assertThat(GoldenSnapshots.error(API, "test_notfound_and_invalid_routingconfigs", "routing_config_exc_toomany").code())
                .isEqualTo("InvalidParameterValueException");
        assertThat(Requests.validationMessage("POST", "/2015-03-31/functions/f/aliases",
                "{\"Name\":\"custom\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"1\":0.8,\"2\":0.2}}}"))
                .isEmpty();

        assertThat(GoldenSnapshots.error(API, "test_permission_exceptions", "add_permission_principal_invalid").code())
                .isEqualTo("InvalidParameterValueException");
        assertThat(Requests.validationMessage("POST", "/2015-03-31/functions/f/policy",
                "{\"Action\":\"lambda:InvokeFunction\",\"StatementId\":\"lambda\",\"Principal\":\"invalid.nonaws.com\",\"SourceAccount\":\"111111111111\"}"))
                .isEmpty();

        assertThat(GoldenSnapshots.error(API, "test_permission_exceptions", "add_permission_fn_doesnotexist").code())
                .isEqualTo("ResourceNotFoundException");
        // A qualifier with '$' passes the pattern; AWS then looks the version up.
        assertThat(GoldenSnapshots.error(API, "test_permission_exceptions", "add_permission_fn_qualifier_valid_doesnotexist").code())
                .isEqualTo("ResourceNotFoundException");
        assertThat(Requests.validationMessage("POST", "/2015-03-31/functions/f/policy?Qualifier="
                        + encodeLabels("{{valid-with-$-but-doesnotexist}}"),
                "{\"Action\":\"lambda:InvokeFunction\",\"StatementId\":\"s3\",\"Principal\":\"s3.amazonaws.com\"}")).isEmpty();
    }
}
