package io.lamina.core.permissions;

import io.lamina.core.function.FunctionRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourcePoliciesTest {
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:f";
    private static final String APIGW = """
            {"Sid":"apigw","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},
             "Action":"lambda:InvokeFunction","Resource":"%s",
             "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/items/*"}}}
            """.formatted(FN);

    private static ResourcePolicies with(Map<String, List<String>> byQualifier) {
        return new ResourcePolicies(ref -> byQualifier.getOrDefault(ref.qualifier().orElse(""), List.of()));
    }

    private static AccessRequest apigw(String sourceArn) {
        return AccessRequest.service(AccessRequest.INVOKE_FUNCTION, "apigateway.amazonaws.com", Optional.of(sourceArn),
                Optional.of("000000000000"));
    }

    @Test
    void evaluate_whenSourceArnMatchesWildcards_allows() {
        var d = with(Map.of("", List.of(APIGW))).evaluate(new FunctionRef("f", Optional.empty()),
                apigw("arn:aws:execute-api:us-east-1:000000000000:abc123/$default/GET/items/42"));
        assertTrue(d.allowed());
        assertEquals(Optional.of("apigw"), d.statementId());
    }

    @Test
    void evaluate_whenSourceArnNamesAnotherRoute_deniesImplicitly() {
        var p = with(Map.of("", List.of(APIGW)));
        var f = new FunctionRef("f", Optional.empty());
        assertFalse(p.evaluate(f, apigw("arn:aws:execute-api:us-east-1:000000000000:abc123/$default/POST/items/42")).allowed());
        assertFalse(p.evaluate(f, apigw("arn:aws:execute-api:us-east-1:000000000000:other/$default/GET/items/42")).allowed());
    }

    @Test
    void evaluate_whenPolicyIsOnAnotherQualifier_deniesImplicitly() {
        var p = with(Map.of("", List.of(APIGW)));
        var d = p.evaluate(new FunctionRef("f", Optional.of("live")),
                apigw("arn:aws:execute-api:us-east-1:000000000000:abc123/$default/GET/items/42"));
        assertFalse(d.allowed());
        assertTrue(d.reason().contains("f:live"), d.reason());
    }

    @Test
    void evaluate_whenPrincipalIsAnotherService_deniesImplicitly() {
        var req = AccessRequest.service(AccessRequest.INVOKE_FUNCTION, "elasticloadbalancing.amazonaws.com",
                Optional.of("arn:aws:execute-api:us-east-1:000000000000:abc123/$default/GET/items/42"), Optional.empty());
        assertFalse(with(Map.of("", List.of(APIGW))).evaluate(new FunctionRef("f", Optional.empty()), req).allowed());
    }

    @Test
    void evaluate_whenSourceArnIsMissing_failsThePositiveCondition() {
        var req = AccessRequest.service(AccessRequest.INVOKE_FUNCTION, "apigateway.amazonaws.com", Optional.empty(),
                Optional.empty());
        assertFalse(with(Map.of("", List.of(APIGW))).evaluate(new FunctionRef("f", Optional.empty()), req).allowed());
    }

    @Test
    void evaluate_functionUrlNone_needsTheAuthTypeCondition() {
        String url = """
                {"Sid":"url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"%s",
                 "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}""".formatted(FN);
        var p = with(Map.of("", List.of(url)));
        var f = new FunctionRef("f", Optional.empty());
        assertTrue(p.evaluate(f, AccessRequest.functionUrl("NONE", new Principal.Anonymous())).allowed());
        assertFalse(p.evaluate(f, AccessRequest.functionUrl("AWS_IAM", new Principal.Anonymous())).allowed());
        assertFalse(p.evaluate(f, AccessRequest.service(AccessRequest.INVOKE_FUNCTION, "apigateway.amazonaws.com",
                Optional.empty(), Optional.empty())).allowed(), "InvokeFunctionUrl does not grant InvokeFunction");
    }

    @Test
    void evaluate_whenAnExplicitDenyMatches_deniesEvenWithAnAllow() {
        String deny = """
                {"Sid":"no","Effect":"Deny","Principal":"*","Action":"lambda:*","Resource":"%s"}""".formatted(FN);
        var d = with(Map.of("", List.of(APIGW, deny))).evaluate(new FunctionRef("f", Optional.empty()),
                apigw("arn:aws:execute-api:us-east-1:000000000000:abc123/$default/GET/items/42"));
        assertFalse(d.allowed());
        assertEquals(Optional.of("no"), d.statementId());
    }

    @Test
    void evaluate_accountPrincipal_matchesIdentitiesOfThatAccount() {
        String acct = """
                {"Sid":"acct","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
                 "Action":"lambda:InvokeFunctionUrl","Resource":"%s",
                 "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"AWS_IAM"}}}""".formatted(FN);
        var p = with(Map.of("", List.of(acct)));
        var f = new FunctionRef("f", Optional.empty());
        assertTrue(p.evaluate(f, AccessRequest.functionUrl("AWS_IAM",
                new Principal.Identity("111122223333", "arn:aws:iam::111122223333:user/dev"))).allowed());
        assertFalse(p.evaluate(f, AccessRequest.functionUrl("AWS_IAM",
                new Principal.Identity("444455556666", "arn:aws:iam::444455556666:user/dev"))).allowed());
    }

    @Test
    void conditionOperators_followIamForMissingKeysAndNegation() {
        assertTrue(ResourcePolicies.holds("StringNotEquals", Optional.empty(), List.of("x")));
        assertTrue(ResourcePolicies.holds("StringEqualsIfExists", Optional.empty(), List.of("x")));
        assertFalse(ResourcePolicies.holds("StringEquals", Optional.empty(), List.of("x")));
        assertTrue(ResourcePolicies.holds("StringLike", Optional.of("abc"), List.of("a?c")));
        assertFalse(ResourcePolicies.holds("StringNotLike", Optional.of("abc"), List.of("a*")));
        assertFalse(ResourcePolicies.holds("NumericEquals", Optional.of("1"), List.of("1")));
        assertFalse(ResourcePolicies.arnLike("arn:aws:execute-api:*:*:abc/*", "arn:aws:lambda:us-east-1:0:abc/x"));
    }
}
