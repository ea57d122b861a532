package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.lamina.it.invoke.Invokes.STREAM_PATTERN;
import static io.lamina.it.invoke.Invokes.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment variables every runtime process receives, with the values AWS gives them (see the
 * recorded {@code test_introspection_invoke} snapshots: AWS_EXECUTION_ENV for managed runtimes only).
 */
class RuntimeEnvironmentTest {
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        create("env-node", Runtime.NODEJS20_X, "index.handler",
                Functions.node("exports.handler = async (e, ctx) => ({ env: process.env, stream: ctx.logStreamName });"));
        create("env-python", Runtime.PYTHON3_12, "handler.handler", Functions.python("""
                import os
                def handler(event, context):
                    return {'env': dict(os.environ), 'stream': context.log_stream_name}
                """));
        create("env-provided", Runtime.PROVIDED_AL2023, "function.handler", Functions.bash("""
                  BODY=$(node -e 'process.stdout.write(JSON.stringify({env: process.env, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME}))')
                  curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" --data-binary "$BODY"
                """));
        create("env-java", Runtime.JAVA21, "io.lamina.testfunctions.ContextHandler::handleRequest", Functions.java());
    }

    private static void create(String name, Runtime runtime, String handler, byte[] zip) {
        Invokes.create(lamina, b -> b.functionName(name).runtime(runtime).handler(handler).memorySize(256)
                .environment(e -> e.variables(Map.of("TEST_KEY", "TEST_VAL")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    /** Invokes {@code name} and checks what every runtime gets; returns the environment for the rest. */
    private static JsonNode commonEnvironment(String name, String handler) {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name));
        assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
        JsonNode body = json(r);
        JsonNode env = body.get("env");
        String stream = body.has("stream") ? body.get("stream").asText() : body.get("logStreamName").asText();
        assertThat(env.get("AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo(name);
        assertThat(env.get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("$LATEST");
        assertThat(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(env.get("AWS_LAMBDA_LOG_GROUP_NAME").asText()).isEqualTo("/aws/lambda/" + name);
        assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME").asText()).isEqualTo(stream)
                .matches(STREAM_PATTERN.formatted("\\$LATEST"));
        assertThat(env.get("AWS_LAMBDA_INITIALIZATION_TYPE").asText()).isEqualTo("on-demand");
        assertThat(env.get("AWS_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.get("AWS_DEFAULT_REGION").asText()).isEqualTo("us-east-1");
        assertThat(env.get("AWS_LAMBDA_RUNTIME_API").asText()).matches("127\\.0\\.0\\.1:\\d+/[0-9a-f]{32}");
        assertThat(env.get("TZ").asText()).isEqualTo(":UTC");
        assertThat(env.get("LANG").asText()).isEqualTo("en_US.UTF-8");
        assertThat(env.get("_HANDLER").asText()).isEqualTo(handler);
        assertThat(env.get("TEST_KEY").asText()).isEqualTo("TEST_VAL");
        Path taskRoot = Path.of(env.get("LAMBDA_TASK_ROOT").asText());
        assertThat(taskRoot).isAbsolute().isDirectory();
        assertThat(env.get("LD_LIBRARY_PATH").asText()).contains(taskRoot.toString());
        assertThat(env.get("LAMBDA_RUNTIME_DIR")).isNotNull();
        // Lamina's own environment does not leak into functions.
        assertThat(env.has("MAVEN_OPTS") || env.has("JAVA_HOME") || env.has("LAMINA_DATA_DIR")).isFalse();
        return env;
    }

    @Test
    void node_receivesAwsEnvironment() {
        JsonNode env = commonEnvironment("env-node", "index.handler");
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_nodejs20.x");
        assertThat(env.get("NODE_PATH").asText()).contains(env.get("LAMBDA_TASK_ROOT").asText());
        assertThat(env.get("_X_AMZN_TRACE_ID").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        assertThat(Path.of(env.get("LAMBDA_TASK_ROOT").asText()).resolve("index.js")).exists();
    }

    @Test
    void python_receivesAwsEnvironment() {
        JsonNode env = commonEnvironment("env-python", "handler.handler");
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_python3.12");
        assertThat(env.get("LC_CTYPE").asText()).isEqualTo("C.UTF-8");
        assertThat(env.get("PYTHONPATH")).isNotNull();
        assertThat(env.get("_X_AMZN_TRACE_ID").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        assertThat(Path.of(env.get("LAMBDA_TASK_ROOT").asText()).resolve("handler.py")).exists();
    }

    @Test
    void provided_receivesAwsEnvironmentWithoutExecutionEnv() {
        JsonNode env = commonEnvironment("env-provided", "function.handler");
        // AWS sets no AWS_EXECUTION_ENV for OS-only runtimes.
        assertThat(env.has("AWS_EXECUTION_ENV")).as(env.toString()).isFalse();
        assertThat(Files.isExecutable(Path.of(env.get("LAMBDA_TASK_ROOT").asText()).resolve("bootstrap"))).isTrue();
    }

    @Test
    void java_receivesAwsEnvironment() {
        JsonNode env = commonEnvironment("env-java", "io.lamina.testfunctions.ContextHandler::handleRequest");
        assertThat(env.get("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java21");
        assertThat(Path.of(env.get("LAMBDA_TASK_ROOT").asText())
                .resolve("io/lamina/testfunctions/ContextHandler.class")).exists();
    }
}
