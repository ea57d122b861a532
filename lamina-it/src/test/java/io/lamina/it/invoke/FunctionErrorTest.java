package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import static io.lamina.it.invoke.Invokes.fieldNames;
import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.requestId;
import static io.lamina.it.invoke.Invokes.tail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that fails answers 200 with {@code X-Amz-Function-Error: Unhandled} and its runtime's error
 * document, shaped like AWS's recorded responses ({@code test_uncaught_exception_invoke}).
 */
class FunctionErrorTest {
    static final String EVENT = "{\"error_msg\":\"some_error_msg\"}";
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        Invokes.create(lamina, "err-node", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async (event) => {
                  if (event.throwString) throw 'just a string';
                  throw new Error('Error: ' + event.error_msg);
                };
                """));
        Invokes.create(lamina, "err-python", Runtime.PYTHON3_12, "handler.handler", Functions.python("""
                def handler(event, context):
                    raise Exception('Failed: ' + event['error_msg'])
                """));
        Invokes.create(lamina, "err-java", Runtime.JAVA21, "io.lamina.testfunctions.FailingHandler::handleRequest",
                Functions.java());
        // What the Go runtime posts: a JSON error document and the type in Lambda-Runtime-Function-Error-Type.
        Invokes.create(lamina, "err-provided", Runtime.PROVIDED_AL2023, "function.handler", Functions.bash("""
                  MSG=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).error_msg)' "$EVENT")
                  curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/error" \\
                    -H 'Lambda-Runtime-Function-Error-Type: errorString' \\
                    --data-binary "{\\"errorMessage\\":\\"Error: $MSG\\",\\"errorType\\":\\"errorString\\"}"
                """));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static InvokeResponse invoke(String name, String payload) {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        return r;
    }

    /** AWS's recorded error payload for {@code runtime}. */
    private static JsonNode recorded(String runtime) {
        return golden("test_lambda_common.snapshot.json",
                "TestLambdaRuntimesCommon::test_uncaught_exception_invoke[" + runtime + "]").get("error_result");
    }

    @Test
    void node_whenHandlerThrows_returnsUnhandledWithErrorDocument() {
        InvokeResponse r = invoke("err-node", EVENT);
        JsonNode doc = json(r);
        JsonNode aws = recorded("nodejs20.x").get("Payload");
        assertThat(fieldNames(doc)).isEqualTo(fieldNames(aws)).containsExactly("errorType", "errorMessage", "trace");
        assertThat(doc.get("errorType")).isEqualTo(aws.get("errorType"));
        assertThat(doc.get("errorMessage")).isEqualTo(aws.get("errorMessage"));
        assertThat(doc.get("trace").get(0).asText()).isEqualTo("Error: Error: some_error_msg");
        assertThat(doc.get("trace").get(1).asText()).startsWith("    at ").contains("index.js");
        // The runtime logs the error as AWS's does: "<time>\t<id>\tERROR\tInvoke Error \t{json}".
        assertThat(tail(r)).containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\t" + requestId(r)
                + "\tERROR\tInvoke Error \t\\{\"errorType\":\"Error\",\"errorMessage\":\"Error: some_error_msg\"");
    }

    @Test
    void node_whenHandlerThrowsNonError_reportsItsTypeAndText() {
        JsonNode doc = json(invoke("err-node", "{\"throwString\":true}"));
        assertThat(doc).isEqualTo(json("{\"errorType\":\"string\",\"errorMessage\":\"just a string\",\"trace\":[]}"));
    }

    @Test
    void python_whenHandlerRaises_returnsUnhandledWithErrorDocument() {
        InvokeResponse r = invoke("err-python", EVENT);
        JsonNode doc = json(r);
        JsonNode aws = recorded("python3.12").get("Payload");
        assertThat(fieldNames(doc)).isEqualTo(fieldNames(aws))
                .containsExactly("errorMessage", "errorType", "requestId", "stackTrace");
        assertThat(doc.get("errorMessage")).isEqualTo(aws.get("errorMessage"));
        assertThat(doc.get("errorType")).isEqualTo(aws.get("errorType"));
        assertThat(doc.get("requestId").asText()).isEqualTo(requestId(r));
        assertThat(doc.get("stackTrace")).hasSize(1);
        assertThat(doc.get("stackTrace").get(0).asText())
                .matches("(?s)  File \".*/handler\\.py\", line 2, in handler\n"
                        + "    raise Exception\\('Failed: ' \\+ event\\['error_msg'\\]\\)\n");
        assertThat(tail(r)).contains("[ERROR] Exception: Failed: some_error_msg\rTraceback (most recent call last):\r");
    }

    @Test
    void java_whenHandlerThrows_returnsUnhandledWithErrorDocument() {
        InvokeResponse r = invoke("err-java", "{\"reason\":\"on purpose\"}");
        JsonNode doc = json(r);
        JsonNode aws = recorded("java21").get("Payload");
        assertThat(fieldNames(doc)).isEqualTo(fieldNames(aws)).containsExactly("errorMessage", "errorType", "stackTrace");
        assertThat(doc.get("errorMessage").asText()).isEqualTo("failing on purpose: on purpose");
        assertThat(doc.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(doc.get("stackTrace").get(0).asText())
                .startsWith("io.lamina.testfunctions.FailingHandler.handleRequest(FailingHandler.java:");
    }

    @Test
    void provided_whenBootstrapPostsError_returnsItsDocumentUnchanged() {
        InvokeResponse r = invoke("err-provided", EVENT);
        JsonNode aws = golden("test_lambda_runtimes.snapshot.json",
                "TestGoProvidedRuntimes::test_uncaught_exception_invoke[provided.al2023]").get("error_result");
        assertThat(r.payload().asUtf8String())
                .isEqualTo("{\"errorMessage\":\"Error: some_error_msg\",\"errorType\":\"errorString\"}");
        assertThat(json(r)).isEqualTo(aws.get("Payload"));
        assertThat(r.functionError()).isEqualTo(aws.get("FunctionError").asText());
    }

    @Test
    void afterFunctionError_environmentIsReused() {
        String first = invoke("err-python", EVENT).logResult();
        InvokeResponse second = invoke("err-python", EVENT);
        assertThat(first).isNotNull();
        // A handled error does not end the environment: the second invocation is warm.
        assertThat(Invokes.report(tail(second)).initDuration()).isEmpty();
        assertThat(lamina.server().core().environments().environmentCount("err-python")).isEqualTo(1);
    }
}
