package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many environments of one Java function starting at the same moment all come up (the runtime
 * client's native library is shared read-only, not rewritten by each start), and each environment
 * has its own temporary directory, removed with it.
 */
class ConcurrentColdStartTest {

    @Test
    void javaEnvironmentsStartingTogether_allSucceed_eachWithItsOwnTmpDir() throws Exception {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            lamina.create(r -> r.functionName("burst").runtime(Runtime.JAVA21).memorySize(256)
                    .handler("io.lamina.testfunctions.ContextHandler::handleRequest")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.java()))));
            int n = 8;
            var go = new CountDownLatch(1);
            List<Future<InvokeResponse>> calls = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return lamina.lambda().invoke(r -> r.functionName("burst").payload(SdkBytes.fromUtf8String("{}")));
                    }));
                }
                go.countDown();
                var tmpDirs = new HashSet<String>();
                for (var f : calls) {
                    InvokeResponse r = f.get();
                    assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
                    JsonNode out = Invokes.json(r);
                    tmpDirs.add(out.path("env").path("TMPDIR").asText());
                }
                assertThat(tmpDirs).hasSize(n).allSatisfy(d -> {
                    assertThat(Path.of(d)).startsWith(lamina.dataDir().resolve("tmp"));
                    assertThat(Files.isDirectory(Path.of(d))).isTrue();
                });
                // Deleting the function ends its environments and their temporary directories.
                lamina.lambda().deleteFunction(r -> r.functionName("burst"));
                assertThat(tmpDirs).allSatisfy(d -> assertThat(Files.exists(Path.of(d))).isFalse());
            }
        }
    }

    @Test
    void nodeTmpDir_isTheEnvironmentsOwn() {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            lamina.create("tmp-node", Runtime.NODEJS20_X, "index.handler",
                    Functions.node("exports.handler = async () => require('os').tmpdir();"));
            String dir = lamina.lambda().invoke(r -> r.functionName("tmp-node")).payload().asUtf8String();
            assertThat(dir).startsWith("\"" + lamina.dataDir().resolve("tmp"));
        }
    }
}
