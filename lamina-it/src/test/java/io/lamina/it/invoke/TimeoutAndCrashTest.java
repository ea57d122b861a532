package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.lamina.it.invoke.Invokes.fieldNames;
import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.requestId;
import static io.lamina.it.invoke.Invokes.tail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's own errors: {@code Sandbox.Timedout} (the environment is replaced), {@code Runtime.ExitError}
 * when the runtime dies (exit status, no reason, signal), {@code Runtime.InvalidEntrypoint} for a provided
 * function that has no executable bootstrap. Messages as AWS's recorded responses have them.
 */
class TimeoutAndCrashTest {
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        // Each sleeps event.millis, then answers its runtime process id.
        Invokes.create(lamina, b -> b.functionName("sleep-node").runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(1)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                        exports.handler = async (e) => { await new Promise(r => setTimeout(r, e.millis)); return process.pid; };
                        """)))));
        Invokes.create(lamina, b -> b.functionName("sleep-python").runtime(Runtime.PYTHON3_12).handler("handler.handler").timeout(1)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.python("""
                        import os, time
                        def handler(event, context):
                            time.sleep(event['millis'] / 1000)
                            return os.getpid()
                        """)))));
        Invokes.create(lamina, b -> b.functionName("sleep-provided").runtime(Runtime.PROVIDED_AL2023).handler("x").timeout(1)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.bash("""
                          MILLIS=$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).millis))' "$EVENT")
                          sleep "$(printf '%d.%03d' $((MILLIS / 1000)) $((MILLIS % 1000)))"
                          curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d "$$"
                        """)))));
        Invokes.create(lamina, b -> b.functionName("sleep-java").runtime(Runtime.JAVA21).timeout(1)
                .handler("io.lamina.testfunctions.PidHandler::handleRequest")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.java()))));

        Invokes.create(lamina, "exit-node", Runtime.NODEJS20_X, "index.handler",
                Functions.node("exports.handler = async () => { process.exit(1); };"));
        Invokes.create(lamina, "exit-python-handler", Runtime.PYTHON3_12, "handler.handler",
                Functions.python("import sys\ndef handler(event, context):\n    sys.exit(0)\n"));
        Invokes.create(lamina, "exit-python-init", Runtime.PYTHON3_12, "handler.handler",
                Functions.python("import sys\nsys.exit(0)\ndef handler(event, context):\n    return 'never'\n"));
        Invokes.create(lamina, "kill-provided", Runtime.PROVIDED_AL2023, "x", Functions.bash("  kill -9 $$"));
        Invokes.create(lamina, "segv-provided", Runtime.PROVIDED_AL2023, "x", Functions.bash("  kill -SEGV $$"));
        Invokes.create(lamina, "nobootstrap", Runtime.PROVIDED_AL2023, "x", Functions.zip(Map.of("main.sh", "echo hi")));
        Invokes.create(lamina, "noexec", Runtime.PROVIDED_AL2023, "x", zipWithMode("bootstrap", "#!/bin/sh\n", 0100644));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static InvokeResponse invoke(String name, String payload) {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        return r;
    }

    /** A platform error: Unhandled, {"errorType":..,"errorMessage":"RequestId: <id> Error: <reason>"}. */
    private static void assertPlatformError(InvokeResponse r, String type, String reason) {
        assertThat(r.functionError()).as(r.payload().asUtf8String()).isEqualTo("Unhandled");
        JsonNode doc = json(r);
        assertThat(fieldNames(doc)).containsExactly("errorType", "errorMessage");
        assertThat(doc.get("errorType").asText()).isEqualTo(type);
        assertThat(doc.get("errorMessage").asText()).isEqualTo("RequestId: " + requestId(r) + " Error: " + reason);
    }

    @Test
    void invoke_whenFunctionOverrunsTimeout_returnsSandboxTimedoutAndReplacesEnvironment() throws Exception {
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaBehavior::test_lambda_invoke_with_timeout")
                .get("invoke-result");
        // The four runtimes at once, to keep the test about as long as one timeout.
        List<Callable<Void>> checks = new ArrayList<>();
        for (String name : List.of("sleep-node", "sleep-python", "sleep-provided", "sleep-java")) {
            checks.add(() -> {
                long warmPid = Long.parseLong(invoke(name, "{\"millis\":0}").payload().asUtf8String());
                InvokeResponse r = invoke(name, "{\"millis\":3000}");
                String id = requestId(r);
                assertPlatformError(r, "Sandbox.Timedout", "Task timed out after 1.00 seconds");
                assertThat(fieldNames(json(r))).isEqualTo(fieldNames(recorded.get("Payload")));
                assertThat(json(r).get("errorMessage").asText()).endsWith(
                        recorded.get("Payload").get("errorMessage").asText().replace("RequestId: <timeout_error_msg>", ""));
                String log = tail(r);
                assertThat(log).containsPattern("\n\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z " + id
                        + " Task timed out after 1\\.00 seconds\nEND RequestId: " + id + "\n");
                var report = Invokes.report(log);
                assertThat(report.status()).contains("Status: timeout");
                assertThat(report.duration()).isBetween(new BigDecimal("1000.00"), new BigDecimal("3000.00"));
                // The timed-out environment is gone; the next invoke starts a new one.
                assertThat(Invokes.eventually(5000, () -> ProcessHandle.of(warmPid).map(p -> !p.isAlive()).orElse(true)))
                        .as("runtime %d of %s killed", warmPid, name).isTrue();
                InvokeResponse next = invoke(name, "{\"millis\":0}");
                assertThat(next.functionError()).isNull();
                assertThat(Invokes.report(tail(next)).initDuration()).isPresent();
                assertThat(Long.parseLong(next.payload().asUtf8String())).isNotEqualTo(warmPid);
                return null;
            });
        }
        try (var pool = Executors.newFixedThreadPool(checks.size())) {
            for (Future<Void> f : pool.invokeAll(checks)) {
                f.get();
            }
        }
    }

    @Test
    void invoke_whenHandlerExitsWithStatus_returnsRuntimeExitErrorWithTheStatus() {
        InvokeResponse r = invoke("exit-node", "{}");
        assertPlatformError(r, "Runtime.ExitError", "Runtime exited with error: exit status 1");
        assertThat(tail(r)).contains("RequestId: " + requestId(r) + " Error: Runtime exited with error: exit status 1\n"
                + "Runtime.ExitError\nEND RequestId: " + requestId(r) + "\n");
        assertThat(Invokes.report(tail(r)).status()).contains("Status: error\tError Type: Runtime.ExitError");
        // The next invoke gets a new runtime (which exits again).
        assertPlatformError(invoke("exit-node", "{}"), "Runtime.ExitError", "Runtime exited with error: exit status 1");
    }

    @Test
    void invoke_whenHandlerExitsCleanly_returnsExitErrorWithoutReason() {
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaErrors::test_lambda_handler_exit")
                .get("invocation_error").get("Payload");
        InvokeResponse r = invoke("exit-python-handler", "{}");
        assertPlatformError(r, "Runtime.ExitError", "Runtime exited without providing a reason");
        assertThat(json(r).get("errorMessage").asText().replace(requestId(r), "<uuid>"))
                .isEqualTo(recorded.get("errorMessage").asText());
    }

    @Test
    void invoke_whenRuntimeExitsDuringInit_returnsExitErrorWithoutReason() {
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaErrors::test_lambda_runtime_exit")
                .get("invocation_error").get("Payload");
        InvokeResponse r = invoke("exit-python-init", "{}");
        assertPlatformError(r, "Runtime.ExitError", "Runtime exited without providing a reason");
        assertThat(json(r).get("errorMessage").asText().replace(requestId(r), "<uuid>"))
                .isEqualTo(recorded.get("errorMessage").asText());
    }

    @Test
    void invoke_whenRuntimeIsKilledBySignal_namesTheSignal() {
        assertPlatformError(invoke("kill-provided", "{}"), "Runtime.ExitError", "Runtime exited with error: signal: killed");
        assertPlatformError(invoke("segv-provided", "{}"), "Runtime.ExitError",
                "Runtime exited with error: signal: segmentation fault");
    }

    @Test
    void invoke_whenProvidedFunctionHasNoBootstrap_returnsInvalidEntrypoint() {
        InvokeResponse r = invoke("nobootstrap", "{}");
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(json(r).get("errorType").asText()).isEqualTo("Runtime.InvalidEntrypoint");
        assertThat(json(r).get("errorMessage").asText())
                .matches("RequestId: " + requestId(r) + " Error: Couldn't find valid bootstrap\\(s\\): \\[/.+/bootstrap\\]");
        assertThat(Invokes.report(tail(r)).status()).contains("Status: error\tError Type: Runtime.InvalidEntrypoint");
    }

    @Test
    void invoke_whenBootstrapIsNotExecutable_returnsInvalidEntrypoint() {
        InvokeResponse r = invoke("noexec", "{}");
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(json(r).get("errorType").asText()).isEqualTo("Runtime.InvalidEntrypoint");
        assertThat(json(r).get("errorMessage").asText())
                .matches("RequestId: " + requestId(r) + " Error: fork/exec /.+/bootstrap: permission denied");
    }

    static byte[] zipWithMode(String name, String content, int mode) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipArchiveOutputStream(bytes)) {
            var entry = new ZipArchiveEntry(name);
            entry.setUnixMode(mode);
            zip.putArchiveEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
