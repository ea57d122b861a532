package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import java.util.Map;

import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static org.assertj.core.api.Assertions.assertThat;

/** Everything the control API sets survives a restart on the same data directory. */
class RestartPersistenceApiTest {

    @Test
    void functionsVersionsAliasesPoliciesTagsAndConcurrency_surviveARestart() {
        String name = "persistent-fn";
        String latestRevision;
        String aliasRevision;
        String policy;
        String aliasPolicy;
        java.nio.file.Path dataDir;
        try (LaminaFixture first = ApiTestSupport.start()) {
            dataDir = first.dataDir();
            LambdaClient lambda = first.lambda();
            create(lambda, fixtureRequest(name).description("v1").tags(Map.of("team", "core"))
                    .environment(e -> e.variables(Map.of("STAGE", "one"))));
            lambda.publishVersion(r -> r.functionName(name));
            lambda.updateFunctionConfiguration(r -> r.functionName(name).description("v2"));
            awaitSettled(lambda, name);
            lambda.publishVersion(r -> r.functionName(name));
            lambda.updateFunctionConfiguration(r -> r.functionName(name).description("v3"));
            awaitSettled(lambda, name);
            lambda.publishVersion(r -> r.functionName(name));
            lambda.deleteFunction(r -> r.functionName(name).qualifier("3"));
            lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
            lambda.addPermission(r -> r.functionName(name).statementId("s3").action("lambda:InvokeFunction")
                    .principal("s3.amazonaws.com"));
            lambda.addPermission(r -> r.functionName(name).qualifier("live").statementId("sns")
                    .action("lambda:InvokeFunction").principal("sns.amazonaws.com"));
            lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(7));
            latestRevision = lambda.getFunctionConfiguration(r -> r.functionName(name)).revisionId();
            aliasRevision = lambda.getAlias(r -> r.functionName(name).name("live")).revisionId();
            policy = lambda.getPolicy(r -> r.functionName(name)).policy();
            aliasPolicy = lambda.getPolicy(r -> r.functionName(name).qualifier("live")).policy();
        }

        try (LaminaFixture second = ApiTestSupport.startOn(dataDir)) {
            LambdaClient lambda = second.lambda();
            var got = lambda.getFunction(r -> r.functionName(name));
            assertThat(got.configuration().description()).isEqualTo("v3");
            assertThat(got.configuration().revisionId()).isEqualTo(latestRevision);
            assertThat(got.configuration().stateAsString()).isEqualTo("Active");
            assertThat(got.configuration().environment().variables()).containsEntry("STAGE", "one");
            assertThat(got.tags()).containsExactly(Map.entry("team", "core"));
            assertThat(got.concurrency().reservedConcurrentExecutions()).isEqualTo(7);
            assertThat(lambda.listVersionsByFunction(r -> r.functionName(name)).versions())
                    .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2");
            assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name).qualifier("1")).description()).isEqualTo("v1");
            var alias = lambda.getAlias(r -> r.functionName(name).name("live"));
            assertThat(alias.revisionId()).isEqualTo(aliasRevision);
            assertThat(alias.routingConfig().additionalVersionWeights()).containsExactly(Map.entry("2", 0.1));
            assertThat(lambda.getPolicy(r -> r.functionName(name)).policy()).isEqualTo(policy);
            assertThat(lambda.getPolicy(r -> r.functionName(name).qualifier("live")).policy()).isEqualTo(aliasPolicy);
            assertThat(lambda.getAccountSettings(r -> { }).accountLimit().unreservedConcurrentExecutions()).isEqualTo(993);

            // Version 3 was deleted before the restart: its number is still not reused.
            lambda.updateFunctionConfiguration(r -> r.functionName(name).description("v4"));
            awaitSettled(lambda, name);
            assertThat(lambda.publishVersion(r -> r.functionName(name)).version()).isEqualTo("4");
            lambda.deleteFunction(r -> r.functionName(name));
        }

        try (LaminaFixture third = ApiTestSupport.startOn(dataDir)) {
            assertThat(error(() -> third.lambda().getFunction(r -> r.functionName(name))).statusCode()).isEqualTo(404);
        }
    }
}
