package io.lamina.apimodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.lamina.apimodel.Requests.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RouteMatchingTest {

    private static final String FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:my-fn";
    private static final String FN_ARN_ENCODED = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn";
    private static final String UUID = "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE";

    static Stream<Arguments> everyServedOperation() {
        return Stream.of(
                arguments("CreateFunction", "POST", "/2015-03-31/functions", Map.of()),
                arguments("GetFunction", "GET", "/2015-03-31/functions/" + FN_ARN_ENCODED + "?Qualifier=1", Map.of("FunctionName", FN_ARN)),
                arguments("GetFunctionConfiguration", "GET", "/2015-03-31/functions/my-fn%3Aprod/configuration", Map.of("FunctionName", "my-fn:prod")),
                arguments("ListFunctions", "GET", "/2015-03-31/functions?MaxItems=10&Marker=abc", Map.of()),
                arguments("UpdateFunctionCode", "PUT", "/2015-03-31/functions/my-fn/code", Map.of("FunctionName", "my-fn")),
                arguments("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/" + FN_ARN_ENCODED + "/configuration", Map.of("FunctionName", FN_ARN)),
                arguments("DeleteFunction", "DELETE", "/2015-03-31/functions/my-fn:prod", Map.of("FunctionName", "my-fn:prod")),
                arguments("PublishVersion", "POST", "/2015-03-31/functions/my-fn/versions", Map.of("FunctionName", "my-fn")),
                arguments("ListVersionsByFunction", "GET", "/2015-03-31/functions/my-fn/versions?MaxItems=1", Map.of("FunctionName", "my-fn")),
                arguments("CreateAlias", "POST", "/2015-03-31/functions/my-fn/aliases", Map.of("FunctionName", "my-fn")),
                arguments("GetAlias", "GET", "/2015-03-31/functions/my-fn/aliases/prod", Map.of("FunctionName", "my-fn", "Name", "prod")),
                arguments("ListAliases", "GET", "/2015-03-31/functions/my-fn/aliases?FunctionVersion=1", Map.of("FunctionName", "my-fn")),
                arguments("UpdateAlias", "PUT", "/2015-03-31/functions/my-fn/aliases/prod", Map.of("FunctionName", "my-fn", "Name", "prod")),
                arguments("DeleteAlias", "DELETE", "/2015-03-31/functions/my-fn/aliases/prod", Map.of("FunctionName", "my-fn", "Name", "prod")),
                arguments("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/my-fn/concurrency", Map.of("FunctionName", "my-fn")),
                arguments("GetFunctionConcurrency", "GET", "/2019-09-30/functions/my-fn/concurrency", Map.of("FunctionName", "my-fn")),
                arguments("DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/my-fn/concurrency", Map.of("FunctionName", "my-fn")),
                arguments("AddPermission", "POST", "/2015-03-31/functions/my-fn/policy?Qualifier=prod", Map.of("FunctionName", "my-fn")),
                arguments("RemovePermission", "DELETE", "/2015-03-31/functions/my-fn/policy/s3-invoke?RevisionId=r", Map.of("FunctionName", "my-fn", "StatementId", "s3-invoke")),
                arguments("GetPolicy", "GET", "/2015-03-31/functions/" + FN_ARN_ENCODED + "%3A1/policy", Map.of("FunctionName", FN_ARN + ":1")),
                arguments("TagResource", "POST", "/2017-03-31/tags/" + FN_ARN_ENCODED, Map.of("Resource", FN_ARN)),
                arguments("UntagResource", "DELETE", "/2017-03-31/tags/" + FN_ARN_ENCODED + "?tagKeys=a&tagKeys=b", Map.of("Resource", FN_ARN)),
                arguments("ListTags", "GET", "/2017-03-31/tags/" + FN_ARN_ENCODED, Map.of("Resource", FN_ARN)),
                arguments("GetAccountSettings", "GET", "/2016-08-19/account-settings", Map.of()),
                arguments("Invoke", "POST", "/2015-03-31/functions/" + FN_ARN_ENCODED + "%3Aprod/invocations", Map.of("FunctionName", FN_ARN + ":prod")),
                arguments("InvokeAsync", "POST", "/2014-11-13/functions/my-fn/invoke-async", Map.of("FunctionName", "my-fn")),
                arguments("PutFunctionEventInvokeConfig", "PUT", "/2019-09-25/functions/my-fn/event-invoke-config?Qualifier=%24LATEST", Map.of("FunctionName", "my-fn")),
                arguments("UpdateFunctionEventInvokeConfig", "POST", "/2019-09-25/functions/my-fn/event-invoke-config", Map.of("FunctionName", "my-fn")),
                arguments("GetFunctionEventInvokeConfig", "GET", "/2019-09-25/functions/my-fn/event-invoke-config", Map.of("FunctionName", "my-fn")),
                arguments("DeleteFunctionEventInvokeConfig", "DELETE", "/2019-09-25/functions/my-fn/event-invoke-config", Map.of("FunctionName", "my-fn")),
                arguments("ListFunctionEventInvokeConfigs", "GET", "/2019-09-25/functions/my-fn/event-invoke-config/list", Map.of("FunctionName", "my-fn")),
                arguments("CreateEventSourceMapping", "POST", "/2015-03-31/event-source-mappings", Map.of()),
                arguments("GetEventSourceMapping", "GET", "/2015-03-31/event-source-mappings/" + UUID, Map.of("UUID", UUID)),
                arguments("ListEventSourceMappings", "GET", "/2015-03-31/event-source-mappings?FunctionName=my-fn", Map.of()),
                arguments("UpdateEventSourceMapping", "PUT", "/2015-03-31/event-source-mappings/" + UUID, Map.of("UUID", UUID)),
                arguments("DeleteEventSourceMapping", "DELETE", "/2015-03-31/event-source-mappings/" + UUID, Map.of("UUID", UUID)),
                arguments("CreateFunctionUrlConfig", "POST", "/2021-10-31/functions/my-fn/url?Qualifier=prod", Map.of("FunctionName", "my-fn")),
                arguments("GetFunctionUrlConfig", "GET", "/2021-10-31/functions/my-fn/url", Map.of("FunctionName", "my-fn")),
                arguments("UpdateFunctionUrlConfig", "PUT", "/2021-10-31/functions/my-fn/url", Map.of("FunctionName", "my-fn")),
                arguments("DeleteFunctionUrlConfig", "DELETE", "/2021-10-31/functions/my-fn/url", Map.of("FunctionName", "my-fn")),
                arguments("ListFunctionUrlConfigs", "GET", "/2021-10-31/functions/my-fn/urls", Map.of("FunctionName", "my-fn")),
                arguments("InvokeWithResponseStream", "POST", "/2021-11-15/functions/my-fn/response-streaming-invocations", Map.of("FunctionName", "my-fn")));
    }

    @ParameterizedTest(name = "{1} {2} -> {0}")
    @MethodSource("everyServedOperation")
    void requestLineResolvesToItsOperationWithDecodedPathParameters(String operation, String method, String target, Map<String, String> params) {
        RouteMatch match = MODEL.match(method, target).orElseThrow();

        assertThat(match.operation().name()).isEqualTo(operation);
        assertThat(match.pathParameters()).isEqualTo(params);
    }

    @Test
    void theRoutingTableCoversEveryOperationOfTheModel() {
        Set<String> routed = everyServedOperation().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        assertThat(MODEL.operations()).extracting(Operation::name).containsExactlyInAnyOrderElementsOf(routed);
        assertThat(routed).hasSize(42);
    }

    @Test
    void methodIsMatchedCaseInsensitively() {
        assertThat(MODEL.match("get", "/2015-03-31/functions")).get()
                .extracting(m -> m.operation().name()).isEqualTo("ListFunctions");
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(MODEL.route("GET", "/2015-03-31/nothing-here")).isInstanceOf(Routing.NotFound.class);
        assertThat(MODEL.route("GET", "/2099-01-01/functions")).isInstanceOf(Routing.NotFound.class);
        assertThat(MODEL.route("GET", "/")).isInstanceOf(Routing.NotFound.class);
        assertThat(MODEL.route("GET", "/2015-03-31/functions/my-fn/configuration/extra")).isInstanceOf(Routing.NotFound.class);
        assertThat(MODEL.match("GET", "/2015-03-31/nothing-here")).isEmpty();
    }

    @Test
    void knownPathWithAnotherMethodListsTheAllowedMethods() {
        assertThat(MODEL.route("PATCH", "/2015-03-31/functions"))
                .isEqualTo(new Routing.MethodNotAllowed(Set.of("GET", "POST")));
        assertThat(MODEL.route("POST", "/2015-03-31/functions/my-fn"))
                .isEqualTo(new Routing.MethodNotAllowed(Set.of("GET", "DELETE")));
        assertThat(MODEL.route("PUT", "/2017-03-31/tags/" + FN_ARN_ENCODED))
                .isEqualTo(new Routing.MethodNotAllowed(Set.of("GET", "POST", "DELETE")));
        assertThat(MODEL.match("PATCH", "/2015-03-31/functions")).isEmpty();
    }

    @Test
    void datedSiblingPathsAreServedOnlyUnderTheirOwnDate() {
        // GetFunctionConcurrency lives under 2019-09-30; Put/Delete under 2017-10-31.
        assertThat(MODEL.route("GET", "/2017-10-31/functions/my-fn/concurrency"))
                .isEqualTo(new Routing.MethodNotAllowed(Set.of("PUT", "DELETE")));
        assertThat(MODEL.route("GET", "/2015-03-31/functions/my-fn/concurrency")).isInstanceOf(Routing.NotFound.class);
        assertThat(MODEL.route("PUT", "/2019-09-30/functions/my-fn/concurrency"))
                .isEqualTo(new Routing.MethodNotAllowed(Set.of("GET")));
    }

    @Test
    void trailingSlashIsIgnored() {
        assertThat(MODEL.match("GET", "/2015-03-31/functions/")).get()
                .extracting(m -> m.operation().name()).isEqualTo("ListFunctions");
        assertThat(MODEL.match("GET", "/2015-03-31/functions/my-fn/")).get()
                .extracting(m -> m.operation().name()).isEqualTo("GetFunction");
    }

    @Test
    void emptyLabelMatchesNothing() {
        assertThat(MODEL.route("GET", "/2015-03-31/functions//configuration")).isInstanceOf(Routing.NotFound.class);
    }

    @Test
    void labelIsPercentDecodedAfterSplittingSoEncodedSlashAndUtf8StayInside() {
        assertThat(MODEL.match("GET", "/2015-03-31/functions/a%2Fb/configuration").orElseThrow().pathParameters())
                .containsEntry("FunctionName", "a/b");
        assertThat(MODEL.match("GET", "/2015-03-31/functions/caf%C3%A9").orElseThrow().pathParameters())
                .containsEntry("FunctionName", "café");
        // '+' is a plus in a path, and a stray '%' is kept.
        assertThat(MODEL.match("GET", "/2015-03-31/functions/a+b%zz").orElseThrow().pathParameters())
                .containsEntry("FunctionName", "a+b%zz");
    }

    @Test
    void greedyLabelsAndLiteralQueryPartsOfTemplatesAreHonoured() throws Exception {
        String model = """
                {"protocol": "rest-json",
                 "operations": {
                   "GetObject": {"http": "GET /{Bucket}/{Key+}", "input": "ObjectIn", "members": {
                     "Bucket": {"type": "S", "uri": "Bucket"},
                     "Key": {"type": "S", "uri": "Key"}}},
                   "GetMeta": {"http": "GET /files/{Path+}/meta", "input": "MetaIn", "members": {"Path": {"type": "S", "uri": "Path"}}},
                   "ListConfigs": {"http": "GET /2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL"},
                   "GetConfig": {"http": "GET /2019-09-30/functions/{FunctionName}/provisioned-concurrency"},
                   "FindLayer": {"http": "GET /2018-10-31/layers?find=LayerVersion"}
                 },
                 "types": {
                   "S": {"type": "string"}
                 }}""";
        LambdaApiModel synthetic = new LambdaApiModel(new ObjectMapper().readTree(model));

        RouteMatch object = synthetic.match("GET", "/bucket/a/b%20c/d.txt").orElseThrow();
        assertThat(object.operation().name()).isEqualTo("GetObject");
        assertThat(object.pathParameters()).isEqualTo(Map.of("Bucket", "bucket", "Key", "a/b c/d.txt"));

        RouteMatch meta = synthetic.match("GET", "/files/x/y/meta").orElseThrow();
        assertThat(meta.operation().name()).isEqualTo("GetMeta");
        assertThat(meta.pathParameters()).isEqualTo(Map.of("Path", "x/y"));

        assertThat(synthetic.match("GET", "/2019-09-30/functions/f/provisioned-concurrency?List=ALL&MaxItems=2").orElseThrow()
                .operation().name()).isEqualTo("ListConfigs");
        assertThat(synthetic.match("GET", "/2019-09-30/functions/f/provisioned-concurrency?Qualifier=1").orElseThrow()
                .operation().name()).isEqualTo("GetConfig");
        // Without its literal query parameter the layer template does not apply (the greedy one does).
        assertThat(synthetic.match("GET", "/2018-10-31/layers").orElseThrow().operation().name()).isEqualTo("GetObject");
        assertThat(synthetic.match("GET", "/2018-10-31/layers?find=LayerVersion&Arn=x").orElseThrow()
                .operation().name()).isEqualTo("FindLayer");
    }

    @Test
    void operationsCarryTheirSuccessStatusFromTheDescription() {
        Map<String, Integer> statuses = MODEL.operations().stream()
                .collect(Collectors.toMap(Operation::name, Operation::successStatus));
        assertThat(statuses).containsEntry("CreateFunction", 201)
                .containsEntry("GetFunction", 200)
                .containsEntry("DeleteAlias", 204)
                .containsEntry("InvokeAsync", 202)
                .containsEntry("CreateEventSourceMapping", 202)
                .containsEntry("TagResource", 204)
                .containsEntry("CreateFunctionUrlConfig", 201)
                .containsEntry("Invoke", 200);
        Operation invoke = MODEL.operation("Invoke").orElseThrow();
        assertThat(invoke.method()).isEqualTo("POST");
        assertThat(invoke.requestUri()).isEqualTo("/2015-03-31/functions/{FunctionName}/invocations");
        assertThat(invoke.input().orElseThrow().name()).isEqualTo("InvocationRequest");
        assertThat(List.of(invoke.payloadMember().orElseThrow().name())).containsExactly("Payload");
    }
}
