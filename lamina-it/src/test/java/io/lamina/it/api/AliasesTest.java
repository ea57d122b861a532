package io.lamina.it.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.ListAliasesResponse;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.name;
import static io.lamina.it.api.ApiTestSupport.plainRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** Create/Get/List/Update/DeleteAlias, routing configurations, and functions addressed through aliases. */
class AliasesTest extends ApiTest {

    /** A function with versions 1 (testenv=staging) and 2 (testenv=prod), as the recorded alias tests set up. */
    private static String functionWithTwoVersions(Snapshot snapshot, boolean publishOnCreate) {
        String name = name("alias-fn");
        snapshot.match("create_response", create(lambda, plainRequest(name).publish(publishOnCreate)
                .environment(e -> e.variables(Map.of("testenv", "staging")))));
        snapshot.match("publish_v1", lambda.publishVersion(r -> r.functionName(name)));
        lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .environment(e -> e.variables(Map.of("testenv", "prod"))));
        awaitSettled(lambda, name);
        snapshot.match("publish_v2", lambda.publishVersion(r -> r.functionName(name)));
        return name;
    }

    /** LocalStack sorted the aliases by name before recording (a SortingTransformer); so do we. */
    private static ObjectNode sortedByName(ListAliasesResponse r) {
        ObjectNode json = SdkJson.response(r);
        var sorted = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        json.withArray("Aliases").forEach(sorted::add);
        sorted.sort(Comparator.comparing(n -> n.get("Name").asText()));
        json.putArray("Aliases").addAll(sorted);
        return json;
    }

    @Test
    void aliasLifecycle_answersLikeAws() {
        var snapshot = Snapshot.of("TestLambdaAlias::test_alias_lifecycle");
        String name = functionWithTwoVersions(snapshot, false);

        CreateAliasResponse a11 = lambda.createAlias(r -> r.functionName(name).name("aliasname1_1").functionVersion("1")
                .description("custom-alias").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.2))));
        snapshot.match("create_alias_1_1", a11);
        snapshot.match("get_alias_1_1", lambda.getAlias(r -> r.functionName(name).name("aliasname1_1")));
        snapshot.match("get_function_alias_1_1", lambda.getFunction(r -> r.functionName(name).qualifier("aliasname1_1")));
        snapshot.match("get_function_byarn_alias_1_1", lambda.getFunction(r -> r.functionName(a11.aliasArn())));
        snapshot.match("get_function_alias_notfound_exc", error(() -> lambda.getFunction(r -> r.functionName(name)
                .qualifier("aliasdoesnotexist"))));
        snapshot.match("get_function_alias_byarn_notfound_exc", error(() -> lambda.getFunction(r -> r
                .functionName(a11.aliasArn().replace("aliasname1_1", "aliasdoesnotexist")))));

        snapshot.match("create_alias_1_2", lambda.createAlias(r -> r.functionName(name).name("aliasname1_2")
                .functionVersion("1").description("custom-alias")));
        snapshot.match("get_alias_1_2", lambda.getAlias(r -> r.functionName(name).name("aliasname1_2")));
        snapshot.match("create_alias_1_3", lambda.createAlias(r -> r.functionName(name).name("aliasname1_3")
                .functionVersion("1")));
        snapshot.match("get_alias_1_3", lambda.getAlias(r -> r.functionName(name).name("aliasname1_3")));
        snapshot.match("create_alias_2", lambda.createAlias(r -> r.functionName(name).name("aliasname2")
                .functionVersion("2").description("custom-alias")));
        snapshot.match("get_alias_2", lambda.getAlias(r -> r.functionName(name).name("aliasname2")));

        // The paginator with page size 1, as recorded; the recording has no ResponseMetadata for the merged result.
        var all = lambda.listAliasesPaginator(r -> r.functionName(name).maxItems(1)).aliases().stream().toList();
        assertThat(all).hasSize(4);
        ObjectNode merged = SdkJson.JSON.createObjectNode();
        all.stream().sorted(Comparator.comparing(AliasConfiguration::name))
                .forEach(a -> merged.withArray("Aliases").add(SdkJson.pojo(a)));
        snapshot.match("list_aliases_for_fnname", merged);

        snapshot.match("update_alias_1_1", lambda.updateAlias(r -> r.functionName(name).name("aliasname1_1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of()))));
        snapshot.match("get_alias_1_1_after_update", lambda.getAlias(r -> r.functionName(name).name("aliasname1_1")));
        snapshot.match("list_aliases_for_fnname_after_update", sortedByName(lambda.listAliases(r -> r.functionName(name))));

        snapshot.match("update_alias_1_2", lambda.updateAlias(r -> r.functionName(name).name("aliasname1_2")));
        snapshot.match("get_alias_1_2_after_update", lambda.getAlias(r -> r.functionName(name).name("aliasname1_2")));
        snapshot.match("list_aliases_for_fnname_after_update_2", sortedByName(lambda.listAliases(r -> r.functionName(name))));
        snapshot.match("list_aliases_for_version", sortedByName(lambda.listAliases(r -> r.functionName(name)
                .functionVersion("1"))));

        snapshot.match("delete_alias_response", lambda.deleteAlias(r -> r.functionName(name).name("aliasname1_1")));
        snapshot.match("list_aliases_for_fnname_afterdelete", sortedByName(lambda.listAliases(r -> r.functionName(name))));
    }

    @Test
    void routingConfigs_thatAwsRejects_areRejectedTheSameWay() {
        var snapshot = Snapshot.of("TestLambdaAlias::test_notfound_and_invalid_routingconfigs");
        // LocalStack's "$LATEST with weights" answer lacks "Type": Lamina's error bodies always carry it.
        String name = functionWithTwoVersions(snapshot, true);

        snapshot.match("routing_config_exc_toomany", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(weights("1", 0.8, "2", 0.2))))));
        snapshot.match("routing_config_exc_toohigh", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 2.0))))));
        snapshot.match("routing_config_exc_subzero", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("2", -1.0))))));
        snapshot.match("routing_config_exc_sameversion", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5))))));
        snapshot.match("target_version_doesnotexist", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("10").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))))));
        snapshot.match("routing_config_exc_version_doesnotexist", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("10", 0.5))))));
        snapshot.match("target_version_exc_version_latest", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("$LATEST").routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.5))))));
        snapshot.match("routing_config_exc_version_latest", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("$LATEST", 0.5))))));
        snapshot.match("create-alias-latest", lambda.createAlias(r -> r.functionName(name).name("custom-latest")
                .functionVersion("$LATEST")));
        snapshot.match("routing_config_exc_fn_doesnotexist", error(() -> lambda.createAlias(r -> r
                .functionName(name + "-unknown").name("custom").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))))));
        snapshot.match("create_alias_empty_routingconfig", lambda.createAlias(r -> r.functionName(name)
                .name("custom-empty-routingconfig").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of()))));
        snapshot.match("create_alias_response", lambda.createAlias(r -> r.functionName(name).name("custom")
                .functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5)))));
        snapshot.match("routing_config_exc_already_exist", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("custom").functionVersion("1").routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))))));
        snapshot.match("alias_does_not_exist_esc", error(() -> lambda.getAlias(r -> r.functionName(name).name("non-existent"))));
    }

    private static Map<String, Double> weights(String k1, double w1, String k2, double w2) {
        var m = new LinkedHashMap<String, Double>();
        m.put(k1, w1);
        m.put(k2, w2);
        return m;
    }

    @Test
    void aliasNames_mayStartWithDigits_butMayNotBeNumbers() {
        var snapshot = Snapshot.of("TestLambdaAlias::test_alias_naming");
        String name = name("alias-fn");
        snapshot.match("create_response", create(lambda, plainRequest(name)
                .environment(e -> e.variables(Map.of("testenv", "staging")))));
        snapshot.match("publish_v1", lambda.publishVersion(r -> r.functionName(name)));
        snapshot.match("create_alias_date", lambda.createAlias(r -> r.functionName(name).name("2024-01-02")
                .functionVersion("1").description("custom-alias")));
        snapshot.match("get_alias_date", lambda.getAlias(r -> r.functionName(name).name("2024-01-02")));
        snapshot.match("create_alias_number_exception", error(() -> lambda.createAlias(r -> r.functionName(name)
                .name("2024").functionVersion("1").description("custom-alias"))));
    }

    @Test
    void deleteAlias_thatDoesNotExist_succeeds() {
        var snapshot = Snapshot.of("TestLambdaAlias::test_non_existent_alias_deletion");
        String name = name("alias-fn");
        snapshot.match("create_response", create(lambda, plainRequest(name)
                .environment(e -> e.variables(Map.of("testenv", "staging")))));
        snapshot.match("delete_alias_response", lambda.deleteAlias(r -> r.functionName(name).name("non-existent")));
    }

    @Test
    void updateAlias_thatDoesNotExist_isNotFound() {
        var snapshot = Snapshot.of("TestLambdaAlias::test_non_existent_alias_update");
        String name = name("alias-fn");
        snapshot.match("create_response", create(lambda, plainRequest(name)
                .environment(e -> e.variables(Map.of("testenv", "staging")))));
        snapshot.match("update_alias_response", error(() -> lambda.updateAlias(r -> r.functionName(name).name("non-existent"))));
    }

    @Test
    void updateAlias_changesVersionAndWeights_andKeepsWhatIsNotGiven() {
        String name = name("alias-fn");
        create(lambda, plainRequest(name).publish(true));
        lambda.updateFunctionConfiguration(r -> r.functionName(name).description("two"));
        awaitSettled(lambda, name);
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1").description("keep me"));

        var updated = lambda.updateAlias(r -> r.functionName(name).name("live").functionVersion("2")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("1", 0.25))));
        assertThat(updated.functionVersion()).isEqualTo("2");
        assertThat(updated.description()).isEqualTo("keep me");
        assertThat(updated.routingConfig().additionalVersionWeights()).containsExactly(Map.entry("1", 0.25));
        var kept = lambda.updateAlias(r -> r.functionName(name).name("live").description("new"));
        assertThat(kept.routingConfig().additionalVersionWeights()).containsExactly(Map.entry("1", 0.25));
        assertThat(lambda.listAliases(r -> r.functionName(name).functionVersion("1")).aliases())
                .extracting(AliasConfiguration::name).containsExactly("live");
    }

    @Test
    void invoke_throughAnAlias_runsItsVersion() {
        String name = name("alias-fn");
        create(lambda, plainRequest(name).handler("handler.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(io.lamina.it.Functions.python(
                        "import os\ndef handler(e, c):\n    return os.environ['AWS_LAMBDA_FUNCTION_VERSION']\n"))))
                .publish(true));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        var r = lambda.invoke(i -> i.functionName(name).qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
        assertThat(r.executedVersion()).isEqualTo("1");
        assertThat(r.payload().asUtf8String()).isEqualTo("\"1\"");
        var byArn = lambda.invoke(i -> i.functionName(arn(name) + ":live").payload(SdkBytes.fromUtf8String("{}")));
        assertThat(byArn.executedVersion()).isEqualTo("1");
    }
}
