package io.lamina.it.api;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A runtime AWS supports but this host cannot run is refused at CreateFunction, saying why. */
class RuntimeAvailabilityTest {

    @Test
    void createFunction_withARuntimeLaminaCannotRunHere_isInvalidParameterValue() {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            assertThatThrownBy(() -> lamina.lambda().createFunction(r -> r.functionName("gem").runtime(Runtime.RUBY3_3)
                    .handler("app.handler").role(LaminaFixture.ROLE)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.zip(java.util.Map.of("app.rb", "")))))))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                                    "The runtime ruby3.3 is not available on this Lamina host: Lamina does not run ruby3.3 functions on this host"));
        }
    }

    @Test
    void createFunction_whenTheConfiguredInterpreterIsMissing_isInvalidParameterValue() {
        try (LaminaFixture lamina = LaminaFixture.start(c -> c.withNodeCommand(Optional.of("/nonexistent/node")))) {
            assertThatThrownBy(() -> lamina.lambda().createFunction(r -> r.functionName("no-node").runtime(Runtime.NODEJS20_X)
                    .handler("index.handler").role(LaminaFixture.ROLE)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("exports.handler = async () => 1;"))))))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                                    "The runtime nodejs20.x is not available on this Lamina host: no node executable at /nonexistent/node"));
        }
    }
}
