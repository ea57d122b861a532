package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** No runtime process outlives Lamina: not on a clean stop, not on kill -9, not a runtime's own children. */
class ProcessLifecycleTest {
    @TempDir
    Path data;

    /** A function that starts a detached grandchild (sleep) once, and answers its own and the grandchild's pid. */
    private static final String NODE_WITH_CHILD = """
            const { spawn } = require('child_process');
            let child;
            exports.handler = async (event) => {
              if (!child) { child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' }); child.unref(); }
              await new Promise(r => setTimeout(r, event.holdMs || 0));
              return { pid: process.pid, child: child.pid };
            };
            """;

    private static void createAndWait(LambdaClient lambda, String name) {
        lambda.createFunction(r -> r.functionName(name).runtime(Runtime.NODEJS20_X).handler("index.handler")
                .role(LaminaFixture.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node(NODE_WITH_CHILD)))));
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName(name));
    }

    /** Invokes {@code n} times in parallel, each holding its environment, and returns every pid seen. */
    private static Set<Long> invokeInParallel(LambdaClient lambda, String name, int n) throws Exception {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(n)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    String out = lambda.invoke(r -> r.functionName(name)
                            .payload(SdkBytes.fromUtf8String("{\"holdMs\":500}"))).payload().asUtf8String();
                    for (String key : List.of("pid", "child")) {
                        var m = java.util.regex.Pattern.compile("\"" + key + "\":(\\d+)").matcher(out);
                        assertThat(m.find()).as(out).isTrue();
                        pids.add(Long.parseLong(m.group(1)));
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        return pids;
    }

    private static void awaitGone(Set<Long> pids, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList())
                .as("processes still alive").isEmpty();
    }

    @Test
    void killMinus9_leavesNoRuntimeProcessAndTheNextStartSweepsTheirChildren() throws Exception {
        Set<Long> pids;
        Set<Long> runtimePids = ConcurrentHashMap.newKeySet();
        try (LaminaProcess lamina = LaminaProcess.start(data); LambdaClient lambda = LaminaFixture.client(lamina.endpoint())) {
            createAndWait(lambda, "with-child");
            pids = invokeInParallel(lambda, "with-child", 3);
            assertThat(pids).hasSizeGreaterThanOrEqualTo(4); // several runtimes, each with a grandchild
            pids.stream().filter(p -> ProcessHandle.of(p).flatMap(h -> h.info().command())
                    .map(c -> c.contains("node")).orElse(false)).forEach(runtimePids::add);
            lamina.killHard();
        }
        // The kernel kills each runtime when Lamina dies (parent-death signal).
        awaitGone(runtimePids, Duration.ofSeconds(5));
        // Their detached children survive the kernel's signal; the next Lamina on this data directory sweeps them.
        try (LaminaProcess again = LaminaProcess.start(data)) {
            awaitGone(pids, Duration.ofSeconds(5));
            again.stop(Duration.ofSeconds(15));
        }
    }

    @Test
    void sigterm_stopsLaminaAndEveryRuntimeAndTheirChildren() throws Exception {
        Set<Long> pids;
        try (LaminaProcess lamina = LaminaProcess.start(data); LambdaClient lambda = LaminaFixture.client(lamina.endpoint())) {
            createAndWait(lambda, "with-child");
            pids = invokeInParallel(lambda, "with-child", 2);
            assertThat(lamina.stop(Duration.ofSeconds(15))).isIn(0, 143);
        }
        awaitGone(pids, Duration.ofSeconds(5));
    }
}
