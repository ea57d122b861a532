package io.lamina.it.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.ACCOUNT;
import static io.lamina.it.api.ApiTestSupport.ARN_PREFIX;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/** TagResource, UntagResource, ListTags, and tags in CreateFunction and GetFunction. */
class TagsTest extends ApiTest {

    private static String createdFunctionArn() {
        String name = name("fn");
        create(lambda, fixtureRequest(name));
        return lambda.getFunction(r -> r.functionName(name)).configuration().functionArn();
    }

    @Test
    void tagsGivenOnCreate_showInGetFunctionAndListTags() {
        var snapshot = Snapshot.of("TestLambdaTag::test_create_tag_on_fn_create").bind("<custom-tag>", "tag-abc123");
        String name = name("fn");
        create(lambda, fixtureRequest(name).tags(Map.of("testtag", "tag-abc123")));
        var got = lambda.getFunction(r -> r.functionName(name));
        snapshot.match("get_function_result", got);
        snapshot.match("list_tags_result", lambda.listTags(r -> r.resource(got.configuration().functionArn())));
    }

    @Test
    void tagAndUntag_addOverwriteAndRemoveTags() {
        var snapshot = Snapshot.of("TestLambdaTag::test_tag_lifecycle[lambda_function]");
        String arn = createdFunctionArn();
        snapshot.match("tag_single_response", lambda.tagResource(r -> r.resource(arn).tags(Map.of("A", "tag-a"))));
        snapshot.match("tag_single_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("tag_multiple_response", lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("B", "tag-b", "C", "tag-c"))));
        snapshot.match("tag_multiple_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("tag_overlap_response", lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("C", "tag-c-newsuffix", "D", "tag-d"))));
        snapshot.match("tag_overlap_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_single_response", lambda.untagResource(r -> r.resource(arn).tagKeys("A")));
        snapshot.match("untag_single_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_multiple_response", lambda.untagResource(r -> r.resource(arn).tagKeys("B", "C")));
        snapshot.match("untag_multiple_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_nonexisting_response", lambda.untagResource(r -> r.resource(arn).tagKeys("F")));
        snapshot.match("untag_nonexisting_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_existing_and_nonexisting_response", lambda.untagResource(r -> r.resource(arn)
                .tagKeys("D", "F")));
        snapshot.match("untag_existing_and_nonexisting_response_listtags", lambda.listTags(r -> r.resource(arn)));
    }

    @Test
    void tags_changeTheFunctionRevision_andShowInGetFunction() {
        var snapshot = Snapshot.of("TestLambdaTags::test_tag_lifecycle");
        String name = name("fn-tag");
        create(lambda, fixtureRequest(name).tags(Map.of("key_a", "value_a")));
        String arn = lambda.getFunction(r -> r.functionName(name)).configuration().functionArn();
        snapshot.match("list_tags_response_postfncreate", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response_postfncreate", lambda.getFunction(r -> r.functionName(arn)));
        snapshot.match("tag_resource_response", lambda.tagResource(r -> r.resource(arn).tags(Map.of(
                "key_b", "value_b", "key_c", "value_c", "key_d", "value_d", "key_e", "value_e"))));
        snapshot.match("list_tags_response_postaddtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response_postaddtags", lambda.getFunction(r -> r.functionName(arn)));
        snapshot.match("tag_resource_overwrite", lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("key_b", "value_b", "key_c", "value_x"))));
        snapshot.match("list_tags_response_overwrite", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response_overwrite", lambda.getFunction(r -> r.functionName(arn)));
        lambda.untagResource(r -> r.resource(arn).tagKeys("key_c", "key_d"));
        snapshot.match("list_tags_response_postuntag", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response_postuntag", lambda.getFunction(r -> r.functionName(arn)));
        lambda.untagResource(r -> r.resource(arn).tagKeys("key_a", "key_b", "key_e"));
        snapshot.match("list_tags_response_postuntagall", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response_postuntagall", lambda.getFunction(r -> r.functionName(arn)));
        lambda.deleteFunction(r -> r.functionName(name));
        snapshot.match("list_tags_postdelete", error(() -> lambda.listTags(r -> r.resource(arn))));
    }

    @Test
    void tagErrors_areAnsweredLikeAws() {
        var snapshot = Snapshot.of("TestLambdaTags::test_tag_exceptions");
        String arn = createdFunctionArn();
        snapshot.match("tag_lambda_invalidarn", error(() -> lambda.tagResource(r -> r.resource("arn:aws:something")
                .tags(Map.of("key_a", "value_a")))));
        snapshot.match("tag_lambda_doesnotexist", error(() -> lambda.tagResource(r -> r.resource(ARN_PREFIX + "doesnotexist")
                .tags(Map.of("key_a", "value_a")))));
        snapshot.match("tag_lambda_qualifier_doesnotexist", error(() -> lambda.tagResource(r -> r.resource(arn + ":v1")
                .tags(Map.of("key_a", "value_a")))));
        snapshot.match("list_tag_lambda_empty", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_nomatch", lambda.untagResource(r -> r.resource(arn).tagKeys("somekey")));
        snapshot.match("untag_empty_keys", error(() -> lambda.untagResource(r -> r.resource(arn).tagKeys(List.of()))));
        snapshot.match("tag_empty_tags", error(() -> lambda.tagResource(r -> r.resource(arn).tags(Map.of()))));

        lambda.tagResource(r -> r.resource(arn).tags(Map.of("a_key", "a_value", "b_key", "b_value")));
        lambda.untagResource(r -> r.resource(arn).tagKeys("a_key", "c_key"));
        assertThat(lambda.listTags(r -> r.resource(arn)).tags()).containsOnlyKeys("b_key");
    }

    @Test
    void tags_areLimitedTo50() {
        var snapshot = Snapshot.of("TestLambdaTags::test_tag_limits");
        String name = name("fn-tag");
        create(lambda, fixtureRequest(name));
        String arn = lambda.getFunction(r -> r.functionName(name)).configuration().functionArn();
        snapshot.match("tag_lambda_too_many_tags", error(() -> lambda.tagResource(r -> r.resource(arn).tags(tags(51)))));
        snapshot.match("tag_response", lambda.tagResource(r -> r.resource(arn).tags(tags(50))));
        snapshot.match("list_tags_response", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("get_fn_response", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("tag_lambda_too_many_tags_additional", error(() -> lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("a_key", "a_value")))));
    }

    private static Map<String, String> tags(int n) {
        var tags = new LinkedHashMap<String, String>();
        for (int k = 0; k < n; k++) {
            tags.put(k + "_key", k + "_value");
        }
        return tags;
    }

    @Test
    void tags_onVersionsAndLatest_areRejected() {
        var snapshot = Snapshot.of("TestLambdaTags::test_tag_versions");
        String name = name("fn-tag");
        create(lambda, fixtureRequest(name).tags(Map.of("key_a", "value_a")));
        String versionArn = lambda.publishVersion(r -> r.functionName(name)).functionArn();
        Map<String, String> more = Map.of("key_b", "value_b", "key_c", "value_c", "key_d", "value_d", "key_e", "value_e");
        snapshot.match("tag_resource_exception", error(() -> lambda.tagResource(r -> r.resource(versionArn).tags(more))));
        snapshot.match("tag_resource_latest_exception", error(() -> lambda.tagResource(r -> r
                .resource(ApiTestSupport.arn(name) + ":$LATEST").tags(more))));
    }

    @Test
    void tagging_aMissingOrDeletedFunction_isNotFound() {
        String resource = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
        var snapshot = Snapshot.of("TestLambdaTag::test_tag_exceptions[lambda_function]").bind("<resource-name>", resource);
        String arn = ARN_PREFIX + resource;
        snapshot.match("not_found_exception_tag", error(() -> lambda.tagResource(r -> r.resource(arn).tags(Map.of("A", "B")))));
        snapshot.match("not_found_exception_untag", error(() -> lambda.untagResource(r -> r.resource(arn).tagKeys("A"))));
        snapshot.match("not_found_exception_list", error(() -> lambda.listTags(r -> r.resource(arn))));
        snapshot.match("aliased_arn_exception", error(() -> lambda.listTags(r -> r.resource(arn + ":alias"))));
        snapshot.match("invalid_arn_exception", error(() -> lambda.listTags(r -> r.resource(
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":foobar:" + resource))));

        var deleted = Snapshot.of("TestLambdaTag::test_tag_nonexisting_resource");
        String fnArn = createdFunctionArn();
        deleted.match("pre_delete_get_function", lambda.getFunction(r -> r.functionName(fnArn)));
        lambda.deleteFunction(r -> r.functionName(fnArn));
        deleted.match("not_found_exception_tag", error(() -> lambda.tagResource(r -> r.resource(fnArn).tags(Map.of("A", "B")))));
        deleted.match("not_found_exception_untag", error(() -> lambda.untagResource(r -> r.resource(fnArn).tagKeys("A"))));
        deleted.match("not_found_exception_list", error(() -> lambda.listTags(r -> r.resource(fnArn))));
    }
}
