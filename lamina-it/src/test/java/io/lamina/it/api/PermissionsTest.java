package io.lamina.it.api;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.AddPermissionRequest;
import software.amazon.awssdk.services.lambda.model.GetPolicyResponse;

import static io.lamina.it.api.ApiTestSupport.ACCOUNT;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/** AddPermission, RemovePermission and GetPolicy: statement JSON, qualifiers, policy revisions, errors. */
class PermissionsTest extends ApiTest {
    static final String BUCKET_ARN = "arn:aws:s3:::test-bucket";

    private static AddPermissionRequest.Builder s3Permission(String functionName, String sid) {
        return AddPermissionRequest.builder().functionName(functionName).action("lambda:InvokeFunction")
                .statementId(sid).principal("s3.amazonaws.com").sourceArn(BUCKET_ARN);
    }

    @Test
    void addPermission_returnsTheStatement_andGetPolicyTheDocument() {
        var snapshot = Snapshot.of("TestLambdaPermissions::test_add_lambda_permission_aws");
        String name = name("lambda_func");
        snapshot.match("create_lambda", create(lambda, fixtureRequest(name)));
        snapshot.match("add_permission", lambda.addPermission(s3Permission(name, "s3").build()));
        snapshot.match("get_policy", lambda.getPolicy(r -> r.functionName(name)));
    }

    @Test
    void addPermission_rendersEachKindOfPrincipalAndCondition() {
        var snapshot = Snapshot.of("TestLambdaPermissions::test_add_lambda_permission_fields")
                .bind("<user_arn>", "arn:aws:iam::" + ACCOUNT + ":user/test-user");
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission_principal_wildcard", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("wilcard").principal("*").sourceAccount(ACCOUNT)));
        snapshot.match("add_permission_principal_service", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("lambda").principal("lambda.amazonaws.com").sourceAccount(ACCOUNT)));
        snapshot.match("add_permission_principal_account", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("account-id").principal(ACCOUNT)));
        snapshot.match("add_permission_principal_arn", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("user-arn").principal(snapshot.value("<user_arn>"))
                .sourceAccount(ACCOUNT)));
        snapshot.match("add_permission_optional_fields", lambda.addPermission(r -> r.functionName(name)
                .statementId("urlPermission").action("lambda:InvokeFunctionUrl").principal("*").sourceArn(BUCKET_ARN)
                .sourceAccount(ACCOUNT).principalOrgID("o-1234567890").functionUrlAuthType("NONE")));
        snapshot.match("add_permission_alexa_skill", lambda.addPermission(r -> r.functionName(name)
                .statementId("alexaSkill").action("lambda:InvokeFunction").principal("*")
                .eventSourceToken("amzn1.ask.skill.xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")));
    }

    @Test
    void permissions_onVersionsAndAliases_formSeparatePolicies() {
        var snapshot = Snapshot.of("TestLambdaPermissions::test_lambda_permission_fn_versioning");
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission", lambda.addPermission(s3Permission(name, "s3").build()));
        snapshot.match("get_policy", lambda.getPolicy(r -> r.functionName(name)));

        var v = lambda.publishVersion(r -> r.functionName(name));
        snapshot.match("publish_version_result", v);
        ApiTestSupport.awaitVersionActive(lambda, name, v.version());
        snapshot.match("get_function_result_after_publishing", lambda.getFunction(r -> r.functionName(name)));
        snapshot.match("get_policy_after_publishing_latest", lambda.getPolicy(r -> r.functionName(name)));
        snapshot.match("get_policy_after_publishing_new_version", error(() -> lambda.getPolicy(r -> r
                .functionName(name).qualifier(v.version()))));

        lambda.addPermission(s3Permission(name + ":" + v.version(), "s3").qualifier(v.version()).build());
        snapshot.match("get_policy_version", lambda.getPolicy(r -> r.functionName(name).qualifier(v.version())));

        var alias = lambda.createAlias(r -> r.functionName(name).name("permission-alias").functionVersion(v.version()));
        snapshot.match("create_alias_response", alias);
        snapshot.match("get_alias", lambda.getAlias(r -> r.functionName(name).name("permission-alias")));
        snapshot.match("add_permission_alias_revision_exception", error(() -> lambda.addPermission(s3Permission(name, "s3")
                .qualifier("permission-alias").revisionId("wrong").build())));
        lambda.addPermission(s3Permission(name + ":permission-alias", "s3").qualifier("permission-alias")
                .revisionId(alias.revisionId()).build());
        snapshot.match("get_policy_alias", lambda.getPolicy(r -> r.functionName(name).qualifier("permission-alias")));

        GetPolicyResponse policy = lambda.getPolicy(r -> r.functionName(name));
        snapshot.match("get_policy_after_adding_to_new_version", policy);
        lambda.addPermission(s3Permission(name, "s3_2").revisionId(policy.revisionId()).build());
        snapshot.match("get_policy_after_adding_2", lambda.getPolicy(r -> r.functionName(name)));
    }

    @Test
    void removePermission_removesOneStatement_andTheLastOneRemovesThePolicy() {
        var snapshot = Snapshot.of("TestLambdaPermissions::test_remove_multi_permissions");
        String name = name("lambda_func");
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission_1", lambda.addPermission(r -> r.functionName(name).action("lambda:InvokeFunction")
                .statementId("s3").principal("s3.amazonaws.com")));
        snapshot.match("add_permission_2", lambda.addPermission(r -> r.functionName(name).action("lambda:InvokeFunction")
                .statementId("sqs").principal("sqs.amazonaws.com").sourceArn(BUCKET_ARN)));
        snapshot.match("policy_after_2_add", lambda.getPolicy(r -> r.functionName(name)));
        snapshot.match("remove_permission_exception_nonexisting_sid", error(() -> lambda.removePermission(r -> r
                .functionName(name).statementId("non-existent"))));
        lambda.removePermission(r -> r.functionName(name).statementId("sqs"));
        snapshot.match("policy_after_removal", lambda.getPolicy(r -> r.functionName(name)));
        GetPolicyResponse attempt = lambda.getPolicy(r -> r.functionName(name));
        snapshot.match("policy_after_removal_attempt", attempt);
        lambda.removePermission(r -> r.functionName(name).statementId("s3").revisionId(attempt.revisionId()));
        snapshot.match("get_policy_exception_removed_all", error(() -> lambda.getPolicy(r -> r.functionName(name))));
    }

    @Test
    void addPermission_twice_buildsOnePolicy() {
        var snapshot = Snapshot.of("TestLambdaPermissions::test_create_multiple_lambda_permissions");
        String name = name("test-function");
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission_response_1", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("logs").principal("logs.amazonaws.com")));
        snapshot.match("add_permission_response_2", lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("kinesis").principal("kinesis.amazonaws.com")));
        snapshot.match("policy_after_2_add", lambda.getPolicy(r -> r.functionName(name)));
    }

    @Test
    void permissionErrors_areAnsweredLikeAws() {
        String name = name("lambda_func");
        var snapshot = Snapshot.of("TestLambdaPermissions::test_permission_exceptions").bind("<function-name>", name);
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission_invalid_statement_id", error(() -> lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("example.com").principal("s3.amazonaws.com"))));
        snapshot.match("add_permission_fn_qualifier_mismatch", error(() -> lambda.addPermission(
                s3Permission(name + ":alias-not-42", "s3").qualifier("42").build())));
        snapshot.match("add_permission_fn_qualifier_latest", error(() -> lambda.addPermission(
                s3Permission(name + ":$LATEST", "s3").qualifier("$LATEST").build())));
        snapshot.match("add_permission_principal_invalid", error(() -> lambda.addPermission(r -> r.functionName(name)
                .action("lambda:InvokeFunction").statementId("lambda").principal("invalid.nonaws.com").sourceAccount(ACCOUNT))));
        snapshot.match("get_policy_fn_doesnotexist", error(() -> lambda.getPolicy(r -> r.functionName("doesnotexist"))));
        snapshot.match("get_policy_fn_version_doesnotexist", error(() -> lambda.getPolicy(r -> r.functionName(name)
                .qualifier("77"))));
        snapshot.match("add_permission_fn_doesnotexist", error(() -> lambda.addPermission(
                s3Permission("doesnotexist", "s3").build())));
        snapshot.match("remove_permission_policy_doesnotexist", error(() -> lambda.removePermission(r -> r
                .functionName(name).statementId("s3"))));
        snapshot.match("add_permission_fn_alias_doesnotexist", error(() -> lambda.addPermission(
                s3Permission(name + ":alias-doesnotexist", "s3").build())));
        snapshot.match("add_permission_fn_version_doesnotexist", error(() -> lambda.addPermission(
                s3Permission(name, "s3").qualifier("42").build())));
        snapshot.match("add_permission_fn_qualifier_invalid", error(() -> lambda.addPermission(
                s3Permission(name, "s3").qualifier("invalid-qualifier-with-?-char").build())));
        snapshot.match("add_permission_fn_qualifier_valid_doesnotexist", error(() -> lambda.addPermission(
                s3Permission(name, "s3").qualifier("valid-with-$-but-doesnotexist").build())));
        lambda.addPermission(s3Permission(name, "s3").build());
        snapshot.match("add_permission_conflicting_statement_id", error(() -> lambda.addPermission(
                s3Permission(name, "s3").build())));
        snapshot.match("remove_permission_fn_doesnotexist", error(() -> lambda.removePermission(r -> r
                .functionName("doesnotexist").statementId("s3"))));
        snapshot.match("remove_permission_fn_alias_doesnotexist", error(() -> lambda.removePermission(r -> r
                .functionName(name).statementId("s3").qualifier("alias-doesnotexist"))));
    }

    @Test
    void addPermission_withAStaleRevisionId_isRefused() {
        var snapshot = Snapshot.of("TestLambdaRevisions::test_function_revisions_permissions");
        String name = name("fn");
        create(lambda, fixtureRequest(name));
        snapshot.match("add_permission_revision_exception", error(() -> lambda.addPermission(r -> r.functionName(name)
                .statementId("s3").action("lambda:InvokeFunction").principal("s3.amazonaws.com").revisionId("wrong"))));
    }

    @Test
    void removePermission_withAStaleRevisionId_isRefused_andTheCurrentOneAccepted() {
        String name = name("fn");
        create(lambda, fixtureRequest(name));
        lambda.addPermission(s3Permission(name, "s3").build());
        var e = error(() -> lambda.removePermission(r -> r.functionName(name).statementId("s3").revisionId("wrong")));
        assertThat(e.statusCode()).isEqualTo(412);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The Revision Id provided does not match the latest "
                + "Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
        String revision = lambda.getPolicy(r -> r.functionName(name)).revisionId();
        lambda.removePermission(r -> r.functionName(name).statementId("s3").revisionId(revision));
        assertThat(error(() -> lambda.getPolicy(r -> r.functionName(name))).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAVersion_deletesItsPolicy() {
        String name = name("fn");
        create(lambda, fixtureRequest(name).publish(true));
        lambda.addPermission(s3Permission(name, "s3").qualifier("1").build());
        lambda.deleteFunction(r -> r.functionName(name).qualifier("1"));
        lambda.updateFunctionConfiguration(r -> r.functionName(name).description("new"));
        ApiTestSupport.awaitSettled(lambda, name);
        assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("2");
        assertThat(error(() -> lambda.getPolicy(r -> r.functionName(name).qualifier("1"))).statusCode()).isEqualTo(404);
    }
}
