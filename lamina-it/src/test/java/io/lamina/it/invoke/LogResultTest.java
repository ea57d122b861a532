package io.lamina.it.invoke;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

import static io.lamina.it.invoke.Invokes.requestId;
import static io.lamina.it.invoke.Invokes.tail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code LogType=Tail}: the invocation's log (START, the function's output, END, REPORT in AWS's format;
 * Init Duration on cold starts only), base64 in {@code X-Amz-Log-Result}, at most its last 4 KB.
 */
class LogResultTest {
    static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        create("log-node", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async (e) => { console.log('hello from node', e.n); return 'done'; };
                """));
        create("log-long", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async (e) => {
                  for (let i = 0; i < e.lines; i++) console.log(String(i).padStart(4, '0') + 'x'.repeat(995));
                  return 'done';
                };
                """));
        create("log-python", Runtime.PYTHON3_12, "handler.handler", Functions.python("""
                import logging
                def handler(event, context):
                    print('hello from python', event['n'])
                    logging.warning('warned %s', event['n'])
                    return 'done'
                """));
        create("log-provided", Runtime.PROVIDED_AL2023, "x", Functions.bash("""
                  echo "hello from bash $EVENT"
                  curl -sS -o /dev/null -X POST "$API/invocation/$REQUEST_ID/response" -d '"done"'
                """));
        create("log-java", Runtime.JAVA21, "io.lamina.testfunctions.ContextHandler::handleRequest", Functions.java());
    }

    private static void create(String name, Runtime runtime, String handler, byte[] zip) {
        Invokes.create(lamina, b -> b.functionName(name).runtime(runtime).handler(handler).memorySize(192)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static InvokeResponse invokeTail(String name, String payload) {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name).logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
        return r;
    }

    /**
     * Invokes twice: the cold log must be START, {@code output}, END, REPORT with Init Duration; the warm one
     * the same without Init Duration. {@code output} is a regex in which {@code {id}} stands for the request
     * id and {@code {n}} for the invocation's number.
     */
    private static void assertColdThenWarm(String name, String output) {
        for (int n = 1; n <= 2; n++) {
            InvokeResponse r = invokeTail(name, "{\"n\":" + n + "}");
            String id = requestId(r);
            String log = tail(r);
            var expected = Pattern.compile(Pattern.quote("START RequestId: " + id + " Version: $LATEST\n")
                    + output.replace("{id}", Pattern.quote(id)).replace("{n}", Integer.toString(n))
                    + Pattern.quote("END RequestId: " + id + "\n")
                    + Invokes.REPORT.pattern());
            assertThat(log).matches(expected);
            var report = Invokes.report(log);
            assertThat(report.requestId()).isEqualTo(id);
            assertThat(report.memorySize()).isEqualTo(192);
            assertThat(report.maxMemoryUsed()).isPositive();
            assertThat(report.status()).isEmpty();
            if (n == 1) {
                assertThat(report.initDuration()).as("cold start").isPresent();
            } else {
                assertThat(report.initDuration()).as("warm start").isEmpty();
            }
        }
    }

    @Test
    void node_tailHasStartOutputEndAndReport() {
        assertColdThenWarm("log-node", TIME + "\t{id}\tINFO\thello from node {n}\n");
    }

    @Test
    void python_tailHasStartOutputEndAndReport() {
        assertColdThenWarm("log-python", "hello from python {n}\n\\[WARNING\\]\t" + TIME + "\t{id}\twarned {n}\n");
    }

    @Test
    void provided_tailHasStartOutputEndAndReport() {
        assertColdThenWarm("log-provided", "hello from bash \\{\"n\":{n}\\}\n");
    }

    @Test
    void java_tailHasLambdaLoggerOutput() {
        assertColdThenWarm("log-java", "context handler got \\{n={n}\\}\n");
    }

    @Test
    void tail_ofLongOutput_isTheLast4KB() throws Exception {
        InvokeResponse r = invokeTail("log-long", "{\"lines\":10}");
        byte[] tail = Base64.getDecoder().decode(r.logResult());
        String text = new String(tail, StandardCharsets.UTF_8);
        assertThat(tail).hasSize(4096);
        assertThat(text).doesNotContain("START RequestId").endsWith("\n");
        assertThat(text).contains("0009" + "x".repeat(995) + "\nEND RequestId: " + requestId(r) + "\n");
        assertThat(Invokes.report(text).requestId()).isEqualTo(requestId(r));
        // The stream itself keeps everything.
        Path dir = lamina.dataDir().resolve("logs/aws/lambda/log-long");
        String all;
        try (var files = Files.walk(dir)) {
            all = files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).reduce("", String::concat);
        }
        assertThat(all).contains("START RequestId: " + requestId(r) + " Version: $LATEST\n").contains("\tINFO\t0000x");
    }

    @Test
    void invoke_withoutLogTypeTail_returnsNoLogResult() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("log-long").payload(SdkBytes.fromUtf8String("{\"lines\":1}")));
        assertThat(r.logResult()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo("\"done\"");
    }
}
