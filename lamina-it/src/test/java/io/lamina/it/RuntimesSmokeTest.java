package io.lamina.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimesSmokeTest {
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private InvokeResponse invoke(String name, String payload) {
        return lamina.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void node_returnsHandlerResult() {
        lamina.create("smoke-node", Runtime.NODEJS20_X, "index.handler",
                Functions.node("exports.handler = async (e) => ({ got: e.x * 2 });"));
        InvokeResponse r = invoke("smoke-node", "{\"x\":21}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.payload().asUtf8String()).isEqualTo("{\"got\":42}");
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
    }

    @Test
    void python_returnsHandlerResult() {
        lamina.create("smoke-python", Runtime.PYTHON3_12, "handler.handler",
                Functions.python("def handler(event, context):\n    return {'got': event['x'] * 2}\n"));
        assertThat(invoke("smoke-python", "{\"x\":21}").payload().asUtf8String()).isEqualTo("{\"got\": 42}");
    }

    @Test
    void provided_returnsBootstrapResponse() {
        lamina.create("smoke-provided", Runtime.PROVIDED_AL2023, "unused", Functions.bash(
                "  curl -sS -o /dev/null -X POST \"$API/invocation/$REQUEST_ID/response\" -d \"{\\\"echo\\\":$EVENT}\""));
        assertThat(invoke("smoke-provided", "{\"x\":21}").payload().asUtf8String()).isEqualTo("{\"echo\":{\"x\":21}}");
    }

    @Test
    void java_runsHandlerWithOfficialRuntimeClient() {
        lamina.create("smoke-java", Runtime.JAVA21, "io.lamina.testfunctions.EchoHandler::handleRequest", Functions.java());
        assertThat(invoke("smoke-java", "{\"x\":21}").payload().asUtf8String()).isEqualTo("{\"x\":21}");
    }
}
