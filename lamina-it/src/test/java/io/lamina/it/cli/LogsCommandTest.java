package io.lamina.it.cli;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import io.lamina.server.cli.LaminaCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lamina logs <function> [--follow]} prints the function's log streams from the data directory. */
class LogsCommandTest {

    private static String run(LaminaFixture lamina, String... args) {
        var out = new StringWriter();
        var cmd = new CommandLine(new LaminaCommand()).setOut(new PrintWriter(out, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = lamina.dataDir().toString();
        int code = cmd.execute(all);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    @Test
    void logs_printsStartEndReportAndFunctionOutput_andFollowPrintsNewLines() throws Exception {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            lamina.create("chatty", Runtime.NODEJS20_X, "index.handler",
                    Functions.node("exports.handler = async (e) => { console.log('said', e.word); return 1; };"));
            var first = lamina.lambda().invoke(r -> r.functionName("chatty").payload(SdkBytes.fromUtf8String("{\"word\":\"hello\"}")));
            String requestId = first.responseMetadata().requestId();

            String out = run(lamina, "logs", "chatty");
            String stream = "\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]{32}";
            assertThat(out).containsPattern(stream + " START RequestId: " + requestId + " Version: \\$LATEST")
                    .containsPattern(stream + " .*\\t" + requestId + "\\tINFO\\tsaid hello")
                    .containsPattern(stream + " END RequestId: " + requestId)
                    .containsPattern(stream + " REPORT RequestId: " + requestId + "\\tDuration: ");

            var followed = new StringWriter();
            var exit = new AtomicInteger(-1);
            Thread follower = Thread.ofVirtual().start(() -> exit.set(new CommandLine(new LaminaCommand())
                    .setOut(new PrintWriter(followed, true))
                    .execute("logs", "chatty", "--follow", "--data-dir", lamina.dataDir().toString())));
            var second = lamina.lambda().invoke(r -> r.functionName("chatty").payload(SdkBytes.fromUtf8String("{\"word\":\"again\"}")));
            String secondId = second.responseMetadata().requestId();
            long deadline = System.currentTimeMillis() + 5000;
            while (!followed.toString().contains("END RequestId: " + secondId) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            follower.interrupt();
            follower.join(5000);
            assertThat(followed.toString()).contains("said again").contains("END RequestId: " + secondId);
            assertThat(exit.get()).isZero();
        }
    }
}
