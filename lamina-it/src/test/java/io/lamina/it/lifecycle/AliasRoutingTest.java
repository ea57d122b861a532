package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A weighted alias sends the configured share of invocations to its additional version. */
class AliasRoutingTest {

    @Test
    void invoke_throughWeightedAlias_splitsTrafficByWeightAndReportsTheExecutedVersion() {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            var lambda = lamina.lambda();
            lamina.create("split", Runtime.NODEJS20_X, "index.handler",
                    Functions.node("exports.handler = async () => 'one';"));
            lambda.publishVersion(r -> r.functionName("split"));
            lambda.updateFunctionCode(r -> r.functionName("split").zipFile(SdkBytes.fromByteArray(
                    Functions.node("exports.handler = async () => 'two';"))));
            lambda.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName("split"));
            lambda.publishVersion(r -> r.functionName("split"));
            lambda.createAlias(r -> r.functionName("split").name("canary").functionVersion("1")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.3))));

            int n = 600;
            int toTwo = 0;
            for (int i = 0; i < n; i++) {
                var resp = lambda.invoke(r -> r.functionName("split").qualifier("canary"));
                String body = resp.payload().asUtf8String();
                assertThat(body).isEqualTo(resp.executedVersion().equals("2") ? "\"two\"" : "\"one\"");
                if (resp.executedVersion().equals("2")) {
                    toTwo++;
                }
            }
            // 30 % of 600 = 180; the binomial standard deviation is ~11, so ±50 is ~4.5 sigma.
            assertThat(toTwo).isBetween(130, 230);
            // Without weights, the alias is exact.
            lambda.updateAlias(r -> r.functionName("split").name("canary").functionVersion("2")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of())));
            for (int i = 0; i < 20; i++) {
                assertThat(lambda.invoke(r -> r.functionName("split:canary")).executedVersion()).isEqualTo("2");
            }
        }
    }
}
