package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Functions, versions, aliases, policies, concurrency, tags and code survive a restart. */
class RestartPersistenceTest {

    @Test
    void restart_keepsEverythingAndFunctionsStillRun() {
        String policy;
        String latestRevision;
        java.nio.file.Path data;
        try (LaminaFixture first = LaminaFixture.start()) {
            data = first.dataDir();
            var lambda = first.lambda();
            first.create(r -> r.functionName("keeper").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role(LaminaFixture.ROLE).description("kept").memorySize(256).timeout(7)
                    .environment(e -> e.variables(Map.of("COLOUR", "blue")))
                    .tags(Map.of("team", "core"))
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node(
                            "exports.handler = async () => ({ v: 'one', colour: process.env.COLOUR });")))));
            lambda.publishVersion(r -> r.functionName("keeper"));
            lambda.updateFunctionCode(r -> r.functionName("keeper").zipFile(SdkBytes.fromByteArray(Functions.node(
                    "exports.handler = async () => ({ v: 'two', colour: process.env.COLOUR });"))));
            lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("keeper"));
            lambda.publishVersion(r -> r.functionName("keeper"));
            lambda.createAlias(r -> r.functionName("keeper").name("live").functionVersion("1")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.25))));
            lambda.addPermission(r -> r.functionName("keeper").statementId("s3").action("lambda:InvokeFunction")
                    .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::bucket"));
            lambda.putFunctionConcurrency(r -> r.functionName("keeper").reservedConcurrentExecutions(5));
            policy = lambda.getPolicy(r -> r.functionName("keeper")).policy();
            latestRevision = lambda.getFunctionConfiguration(r -> r.functionName("keeper")).revisionId();
        }

        try (LaminaFixture second = LaminaFixture.startOn(data)) {
            var lambda = second.lambda();
            var config = lambda.getFunctionConfiguration(r -> r.functionName("keeper"));
            assertThat(config.description()).isEqualTo("kept");
            assertThat(config.memorySize()).isEqualTo(256);
            assertThat(config.timeout()).isEqualTo(7);
            assertThat(config.environment().variables()).containsEntry("COLOUR", "blue");
            assertThat(config.revisionId()).isEqualTo(latestRevision);
            assertThat(config.stateAsString()).isEqualTo("Active");
            assertThat(lambda.listVersionsByFunction(r -> r.functionName("keeper")).versions())
                    .extracting(v -> v.version()).containsExactly("$LATEST", "1", "2");
            var alias = lambda.getAlias(r -> r.functionName("keeper").name("live"));
            assertThat(alias.functionVersion()).isEqualTo("1");
            assertThat(alias.routingConfig().additionalVersionWeights()).containsEntry("2", 0.25);
            assertThat(lambda.getPolicy(r -> r.functionName("keeper")).policy()).isEqualTo(policy);
            assertThat(lambda.getFunctionConcurrency(r -> r.functionName("keeper")).reservedConcurrentExecutions()).isEqualTo(5);
            assertThat(lambda.listTags(r -> r.resource(config.functionArn())).tags()).containsEntry("team", "core");

            assertThat(lambda.invoke(r -> r.functionName("keeper").qualifier("1")).payload().asUtf8String())
                    .isEqualTo("{\"v\":\"one\",\"colour\":\"blue\"}");
            assertThat(lambda.invoke(r -> r.functionName("keeper")).payload().asUtf8String())
                    .isEqualTo("{\"v\":\"two\",\"colour\":\"blue\"}");
        }
    }
}
