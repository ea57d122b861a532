package io.lamina.core.invoke;

import io.lamina.core.Lamina;
import io.lamina.core.LaminaConfig;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionSpec;
import io.lamina.core.function.FunctionState;
import io.lamina.core.testing.Zips;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvokerTest {
    @TempDir
    Path data;
    Lamina lamina;

    @BeforeEach
    void start() {
        lamina = new Lamina(LaminaConfig.defaults().withDataDir(data), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        lamina.close();
    }

    private void create(String name, String runtime, String handler, byte[] zip, int timeout) {
        var spec = new FunctionSpec(Optional.of(runtime), Optional.of(handler), Optional.of("arn:aws:iam::000000000000:role/r"),
                Optional.empty(), Optional.of(timeout), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        lamina.registry().create(name, spec, zip, false, Map.of());
        long deadline = System.currentTimeMillis() + 10_000;
        while (lamina.registry().configuration(new FunctionRef(name, Optional.empty())).state() != FunctionState.Active) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("function did not become active");
            }
            Thread.onSpinWait();
        }
    }

    private InvokeResult invoke(String name, String payload, boolean tail) {
        return lamina.invoker().invoke(new InvokeRequest(name, Optional.empty(), InvocationType.RequestResponse,
                payload.getBytes(StandardCharsets.UTF_8), tail, Optional.empty(), Optional.empty()));
    }

    @Test
    void invokeStreaming_passesPiecesOnAsTheyCome_andReleasesTheEnvironmentOnlyAfterTheStream() throws Exception {
        create("streamer", "provided.al2023", "x", Zips.bashFunction("""
                  { printf 'one'; sleep 0.5; printf 'two'; } | curl -sS -o /dev/null -X POST -T - \\
                    -H 'Lambda-Runtime-Function-Response-Mode: streaming' -H 'Content-Type: text/plain' \\
                    "$API/invocation/$REQUEST_ID/response"
                """), 3);
        var first = new RecordingSink("streamer");
        var second = new RecordingSink("streamer");

        InvokeStreamResult r1 = lamina.invoker().invokeStreaming(InvokeRequest.sync("streamer", new byte[0]), first);
        InvokeStreamResult r2 = lamina.invoker().invokeStreaming(new InvokeRequest("streamer", Optional.empty(),
                InvocationType.RequestResponse, new byte[0], true, Optional.empty(), Optional.empty()), second);

        assertThat(r1.status()).isEqualTo(200);
        assertThat(r1.error()).isEmpty();
        assertThat(r1.executedVersion()).isEqualTo("$LATEST");
        assertThat(first.begun).isEqualTo("text/plain $LATEST " + r1.requestId());
        assertThat(String.join("", first.pieces)).isEqualTo("onetwo");
        assertThat(String.join("", second.pieces)).isEqualTo("onetwo");
        assertThat(first.pieces.get(0)).as("the first piece came alone, before the function slept").isEqualTo("one");
        assertThat(first.idleAtFirstPiece).as("the environment was busy while it streamed").isZero();
        assertThat(new String(Base64.getDecoder().decode(r2.logResult().orElseThrow()), StandardCharsets.UTF_8))
                .contains("END RequestId: " + r2.requestId());
        assertThat(lamina.environments().environmentCount("streamer")).isEqualTo(1);
        assertThat(lamina.environments().idleCount("streamer")).isEqualTo(1);
    }

    /** Records what a streamed invocation passed on, and whether the function's environment was idle meanwhile. */
    private final class RecordingSink implements ResponseSink {
        final String function;
        final java.util.List<String> pieces = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String begun;
        volatile int idleAtFirstPiece = -1;

        RecordingSink(String function) {
            this.function = function;
        }

        @Override
        public void begin(String contentType, String executedVersion, String requestId) {
            begun = contentType + " " + executedVersion + " " + requestId;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (pieces.isEmpty()) {
                idleAtFirstPiece = lamina.environments().idleCount(function);
            }
            pieces.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
    }

    @Test
    void streamError_readsTypeAndMessageOfTheErrorDocument() {
        var e = Invoker.streamError("{\"errorType\":\"TypeError\",\"trace\":[\"x\"],\"errorMessage\":\"bad\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(e.errorCode()).isEqualTo("TypeError");
        assertThat(e.errorDetails()).isEqualTo("bad");

        var notJson = Invoker.streamError("oops".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.errorCode()).isEqualTo("Unhandled");
        assertThat(notJson.errorDetails()).isEmpty();
    }

    @Test
    void invoke_providedBashFunction_returnsItsResponseAndReusesTheEnvironment() {
        create("echo", "provided.al2023", "x", Zips.bashFunction("""
                  echo "handling $REQUEST_ID"
                  curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d "{\\"echo\\":$EVENT}"
                """), 3);
        InvokeResult first = invoke("echo", "{\"a\":1}", true);
        InvokeResult second = invoke("echo", "{\"a\":2}", true);

        assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"echo\":{\"a\":1}}");
        assertThat(new String(second.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"echo\":{\"a\":2}}");
        assertThat(first.functionError()).isEmpty();
        assertThat(first.executedVersion()).isEqualTo("$LATEST");
        String log = new String(Base64.getDecoder().decode(second.logResult().orElseThrow()), StandardCharsets.UTF_8);
        assertThat(log).startsWith("START RequestId: " + second.requestId() + " Version: $LATEST\n")
                .contains("handling " + second.requestId() + "\n")
                .contains("END RequestId: " + second.requestId() + "\n")
                .containsPattern("REPORT RequestId: " + second.requestId()
                        + "\tDuration: [0-9.]+ ms\tBilled Duration: [0-9]+ ms\tMemory Size: 128 MB\tMax Memory Used: [0-9]+ MB\t\n$");
        assertThat(lamina.environments().environmentCount("echo")).isEqualTo(1);
    }

    @Test
    void invoke_whenFunctionSleepsPastTimeout_returnsSandboxTimedoutAndKillsTheEnvironment() {
        create("sleepy", "provided.al2023", "x", Zips.bashFunction("  sleep 30"), 1);
        InvokeResult r = invoke("sleepy", "{}", false);
        assertThat(r.functionError()).contains("Unhandled");
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: " + r.requestId()
                        + " Error: Task timed out after 1.00 seconds\"}");
        assertThat(lamina.environments().environmentCount("sleepy")).isZero();
    }

    @Test
    void invoke_whenRuntimeExits_returnsRuntimeExitError() {
        create("crash", "provided.al2023", "x", Zips.bashFunction("  exit 3"), 3);
        InvokeResult r = invoke("crash", "{}", false);
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: " + r.requestId()
                        + " Error: Runtime exited with error: exit status 3\"}");
        assertThat(r.functionError()).contains("Unhandled");
    }

    @Test
    void invoke_whenReservedConcurrencyIsZero_throttles() {
        create("zero", "provided.al2023", "x", Zips.bashFunction("  exit 0"), 3);
        lamina.registry().putReservedConcurrency(new FunctionRef("zero", Optional.empty()), 0);
        assertThatThrownBy(() -> invoke("zero", "{}", false))
                .isInstanceOf(LambdaException.class)
                .hasMessage("Rate Exceeded.")
                .satisfies(e -> assertThat(((LambdaException) e).extraFields())
                        .containsEntry("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded"));
    }
}
