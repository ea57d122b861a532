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

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.lamina.it.invoke.Invokes.ARN_PREFIX;
import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.requestId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ClientContext} sent through the SDK reaches Node.js and Python handlers as their runtimes present it
 * (the Java runtime client's view is in {@link JavaContextTest}).
 */
class ClientContextTest {
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        Invokes.create(lamina, "cc-node", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async (e, context) => ({ context });
                """));
        Invokes.create(lamina, "cc-python", Runtime.PYTHON3_12, "handler.handler", Functions.python("""
                def handler(event, context):
                    cc = context.client_context
                    return {
                        'aws_request_id': context.aws_request_id,
                        'invoked_function_arn': context.invoked_function_arn,
                        'client_context': None if cc is None else {
                            'custom': cc.custom, 'env': cc.env,
                            'installation_id': cc.client.installation_id, 'app_title': cc.client.app_title},
                    }
                """));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void node_seesTheClientContextAsAwsRecordedIt() {
        // AWS's recorded test_lambda_with_context: the Node.js context, client context included.
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaFeatures::test_lambda_with_context")
                .get("invocation").get("Payload").get("context");
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("cc-node")
                .clientContext(base64(recorded.get("clientContext").toString())));
        JsonNode ctx = json(r).get("context");
        assertThat(Invokes.fieldNames(ctx)).isEqualTo(Invokes.fieldNames(recorded));
        assertThat(ctx.get("clientContext")).isEqualTo(recorded.get("clientContext"));
        assertThat(ctx.get("callbackWaitsForEmptyEventLoop")).isEqualTo(recorded.get("callbackWaitsForEmptyEventLoop"));
        assertThat(ctx.get("functionVersion")).isEqualTo(recorded.get("functionVersion"));
        assertThat(ctx.get("memoryLimitInMB").asText()).isEqualTo("128");
        assertThat(ctx.get("awsRequestId").asText()).isEqualTo(requestId(r));
        assertThat(ctx.get("invokedFunctionArn").asText()).isEqualTo(ARN_PREFIX + "cc-node");
    }

    @Test
    void python_seesTheClientContextAsObjects() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("cc-python").clientContext(base64("""
                {"client":{"installation_id":"i-1","app_title":"title"},"custom":{"foo":"bar"},"env":{"fizz":"buzz"}}""")));
        JsonNode body = json(r);
        assertThat(body.get("aws_request_id").asText()).isEqualTo(requestId(r));
        assertThat(body.get("client_context")).isEqualTo(json("""
                {"custom":{"foo":"bar"},"env":{"fizz":"buzz"},"installation_id":"i-1","app_title":"title"}"""));
    }

    @Test
    void python_withoutClientContext_seesNone() {
        JsonNode body = json(lamina.lambda().invoke(b -> b.functionName("cc-python")));
        assertThat(body.get("client_context").isNull()).isTrue();
        assertThat(body.get("invoked_function_arn").asText()).isEqualTo(ARN_PREFIX + "cc-python");
    }
}
