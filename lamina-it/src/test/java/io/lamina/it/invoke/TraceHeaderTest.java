package io.lamina.it.invoke;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.Runtime;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller's X-Amzn-Trace-Id reaches the function (as _X_AMZN_TRACE_ID); without one Lamina makes one. */
class TraceHeaderTest {

    @Test
    void invoke_withTraceHeader_passesItToTheFunction_andWithoutOneTheFunctionGetsANewRoot() {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            lamina.create("traced", Runtime.NODEJS20_X, "index.handler",
                    Functions.node("exports.handler = async () => process.env._X_AMZN_TRACE_ID;"));
            String given = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
            String seen = lamina.lambda().invoke(r -> r.functionName("traced")
                    .overrideConfiguration(o -> o.putHeader("X-Amzn-Trace-Id", given))).payload().asUtf8String();
            assertThat(seen).isEqualTo("\"" + given + "\"");
            String made = lamina.lambda().invoke(r -> r.functionName("traced")).payload().asUtf8String();
            assertThat(made).matches("\"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0\"");
        }
    }
}
