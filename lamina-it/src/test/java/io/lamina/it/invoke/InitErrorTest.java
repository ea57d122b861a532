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
import java.util.Comparator;
import java.util.Map;

import static io.lamina.it.invoke.Invokes.fieldNames;
import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runtime that cannot initialise (missing module or handler, class not found, failing static
 * initialiser) reports its init error on the first invoke; the next invoke initialises again.
 */
class InitErrorTest {
    static LaminaFixture lamina;
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        lamina = LaminaFixture.start();
        scratch = Files.createTempDirectory("lamina-init");
        byte[] node = Functions.node("exports.handler = async () => 'ok';");
        byte[] python = Functions.python("def handler(event, context):\n    return 'ok'\n");
        Invokes.create(lamina, "init-node-module", Runtime.NODEJS20_X, "missing.handler", node);
        Invokes.create(lamina, "init-node-handler", Runtime.NODEJS20_X, "index.nothere", node);
        Invokes.create(lamina, "init-python-module", Runtime.PYTHON3_12, "nomod.handler", python);
        Invokes.create(lamina, "init-python-handler", Runtime.PYTHON3_12, "handler.nothere", python);
        Invokes.create(lamina, "init-python-raises", Runtime.PYTHON3_12, "handler.handler",
                Functions.python("raise Exception(\"Runtime startup fails\")\n"));
        Invokes.create(lamina, b -> b.functionName("init-python-flaky").runtime(Runtime.PYTHON3_12).handler("handler.handler")
                .environment(e -> e.variables(Map.of("INIT_MARKER", scratch.resolve("python").toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.python("""
                        import os
                        if not os.path.exists(os.environ['INIT_MARKER']):
                            open(os.environ['INIT_MARKER'], 'w').close()
                            raise RuntimeError('first initialisation fails')
                        def handler(event, context):
                            return 'initialised'
                        """)))));
        byte[] java = Functions.java();
        Invokes.create(lamina, "init-java-class", Runtime.JAVA21, "io.lamina.testfunctions.Missing::handleRequest", java);
        Invokes.create(lamina, "init-java-static", Runtime.JAVA21, "io.lamina.testfunctions.BrokenInitHandler::handleRequest", java);
        Invokes.create(lamina, b -> b.functionName("init-java-flaky").runtime(Runtime.JAVA21)
                .handler("io.lamina.testfunctions.FlakyInitHandler::handleRequest")
                .environment(e -> e.variables(Map.of("INIT_MARKER", scratch.resolve("java").toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(java))));
    }

    @AfterAll
    static void stop() throws Exception {
        lamina.close();
        try (var files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static JsonNode initError(String name) {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).as(r.payload().asUtf8String()).isEqualTo("Unhandled");
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        return json(r);
    }

    @Test
    void node_whenModuleIsMissing_reportsImportModuleError() {
        JsonNode doc = initError("init-node-module");
        assertThat(fieldNames(doc)).containsExactly("errorType", "errorMessage", "trace");
        assertThat(doc.get("errorType").asText()).isEqualTo("Runtime.ImportModuleError");
        assertThat(doc.get("errorMessage").asText()).startsWith("Error: Cannot find module 'missing'\nRequire stack:\n- ");
        assertThat(doc.get("trace").get(0).asText()).isEqualTo("Runtime.ImportModuleError: Error: Cannot find module 'missing'");
    }

    @Test
    void node_whenHandlerIsNotExported_reportsHandlerNotFound() {
        JsonNode doc = initError("init-node-handler");
        assertThat(doc.get("errorType").asText()).isEqualTo("Runtime.HandlerNotFound");
        assertThat(doc.get("errorMessage").asText()).isEqualTo("index.nothere is undefined or not exported");
        assertThat(doc.get("trace").get(0).asText()).isEqualTo("Runtime.HandlerNotFound: index.nothere is undefined or not exported");
    }

    @Test
    void python_whenModuleIsMissing_reportsImportModuleError() {
        assertThat(initError("init-python-module")).isEqualTo(json("""
                {"errorMessage": "Unable to import module 'nomod': No module named 'nomod'",
                 "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []}"""));
    }

    @Test
    void python_whenHandlerIsMissing_reportsHandlerNotFound() {
        assertThat(initError("init-python-handler")).isEqualTo(json("""
                {"errorMessage": "Handler 'nothere' missing on module 'handler'",
                 "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []}"""));
    }

    @Test
    void python_whenModuleRaises_reportsTheExceptionAsAwsRecordedIt() {
        JsonNode doc = initError("init-python-raises");
        JsonNode aws = golden("test_lambda.snapshot.json", "TestLambdaErrors::test_lambda_runtime_error")
                .get("invocation_error").get("Payload");
        assertThat(fieldNames(doc)).isEqualTo(fieldNames(aws));
        assertThat(doc.get("errorMessage")).isEqualTo(aws.get("errorMessage"));
        assertThat(doc.get("errorType")).isEqualTo(aws.get("errorType"));
        assertThat(doc.get("requestId")).isEqualTo(aws.get("requestId"));
        JsonNode trace = doc.get("stackTrace");
        assertThat(trace.get(trace.size() - 1).asText())
                .matches("  File \"/.*/handler\\.py\", line 1, in <module>\n    raise Exception\\(\"Runtime startup fails\"\\)\n");
    }

    @Test
    void python_afterInitError_nextInvokeInitialisesAgain() {
        JsonNode first = initError("init-python-flaky");
        assertThat(first.get("errorType").asText()).isEqualTo("RuntimeError");
        assertThat(first.get("errorMessage").asText()).isEqualTo("first initialisation fails");
        InvokeResponse second = lamina.lambda().invoke(b -> b.functionName("init-python-flaky"));
        assertThat(second.functionError()).isNull();
        assertThat(second.payload().asUtf8String()).isEqualTo("\"initialised\"");
    }

    // The official runtime client reports these itself: message and type, the stack trace goes to the log.

    @Test
    void java_whenClassIsMissing_reportsClassNotFound() {
        assertThat(initError("init-java-class")).isEqualTo(json("""
                {"errorMessage":"Class not found: io.lamina.testfunctions.Missing",
                 "errorType":"java.lang.ClassNotFoundException"}"""));
    }

    @Test
    void java_whenStaticInitialiserThrows_reportsItOnEveryInvokeWithAFreshInit() throws Exception {
        JsonNode first = initError("init-java-static");
        assertThat(first).isEqualTo(json("""
                {"errorMessage":"Error loading class io.lamina.testfunctions.BrokenInitHandler",
                 "errorType":"java.lang.ExceptionInInitializerError"}"""));
        JsonNode second = initError("init-java-static");
        assertThat(second).isEqualTo(first);
        // Each attempt ran in a new execution environment, with its own log stream holding the cause.
        var streams = lamina.server().core().logs().streams("/aws/lambda/init-java-static");
        assertThat(streams).hasSize(2);
        for (Path stream : streams) {
            assertThat(Files.readString(stream))
                    .contains("Caused by: java.lang.IllegalStateException: cannot initialise");
        }
    }

    @Test
    void java_afterInitError_nextInvokeInitialisesAgain() {
        JsonNode first = initError("init-java-flaky");
        assertThat(first.get("errorType").asText()).isEqualTo("java.lang.ExceptionInInitializerError");
        InvokeResponse second = lamina.lambda().invoke(b -> b.functionName("init-java-flaky"));
        assertThat(second.functionError()).as(second.payload().asUtf8String()).isNull();
        assertThat(second.payload().asUtf8String()).isEqualTo("\"initialised\"");
    }
}
