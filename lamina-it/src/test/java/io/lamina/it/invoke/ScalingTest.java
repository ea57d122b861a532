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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.lamina.it.invoke.Invokes.STREAM_PATTERN;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.tail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Execution environments: concurrent invokes scale out to one environment each, later invokes reuse warm
 * ones (no Init Duration), and idle ones are reaped.
 */
class ScalingTest {
    static final int PARALLEL = 6;
    /** Sleeps event.millis, then answers which environment ran it. */
    static final String SOURCE = """
            exports.handler = async (e, ctx) => {
              await new Promise(r => setTimeout(r, e.millis || 0));
              return { pid: process.pid, stream: ctx.logStreamName };
            };
            """;
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        Invokes.create(lamina, "scale", Runtime.NODEJS20_X, "index.handler", Functions.node(SOURCE));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static List<InvokeResponse> burst(LaminaFixture on, String name, int n, int millis) throws Exception {
        var go = new CountDownLatch(1);
        var out = new ArrayList<InvokeResponse>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            var futures = new ArrayList<Future<InvokeResponse>>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return on.lambda().invoke(b -> b.functionName(name).logType(LogType.TAIL)
                            .payload(SdkBytes.fromUtf8String("{\"millis\":" + millis + "}")));
                }));
            }
            go.countDown();
            for (var f : futures) {
                InvokeResponse r = f.get();
                assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void concurrentInvokes_scaleOutThenReuseWarmEnvironments() throws Exception {
        List<InvokeResponse> cold = burst(lamina, "scale", PARALLEL, 800);
        Set<Long> pids = new HashSet<>();
        Set<String> streams = new HashSet<>();
        for (InvokeResponse r : cold) {
            JsonNode body = json(r);
            pids.add(body.get("pid").asLong());
            streams.add(body.get("stream").asText());
            assertThat(body.get("stream").asText()).matches(STREAM_PATTERN.formatted("\\$LATEST"));
            assertThat(Invokes.report(tail(r)).initDuration()).as("cold start").isPresent();
        }
        // One environment (process, log stream) per concurrent invocation.
        assertThat(pids).hasSize(PARALLEL);
        assertThat(streams).hasSize(PARALLEL);
        var environments = lamina.server().core().environments();
        assertThat(environments.environmentCount("scale")).isEqualTo(PARALLEL);
        assertThat(environments.idleCount("scale")).isEqualTo(PARALLEL);
        assertThat(lamina.server().core().logs().streams("/aws/lambda/scale")).hasSize(PARALLEL);

        // Sequential invokes reuse a warm environment: no new process, no Init Duration.
        for (int i = 0; i < 4; i++) {
            InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("scale").logType(LogType.TAIL));
            assertThat(pids).contains(json(r).get("pid").asLong());
            assertThat(Invokes.report(tail(r)).initDuration()).as("warm start").isEmpty();
        }
        // A second burst of the same size is served entirely by the warm environments.
        for (InvokeResponse r : burst(lamina, "scale", PARALLEL, 300)) {
            assertThat(pids).contains(json(r).get("pid").asLong());
            assertThat(Invokes.report(tail(r)).initDuration()).as("warm start").isEmpty();
        }
        assertThat(environments.environmentCount("scale")).isEqualTo(PARALLEL);
    }

    @Test
    void idleEnvironments_areReapedAfterTheIdleTimeout() throws Exception {
        // Each environment also starts a detached child, which reaping must end too.
        String withChild = """
                const { spawn } = require('child_process');
                const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
                child.unref();
                exports.handler = async (e) => {
                  await new Promise(r => setTimeout(r, e.millis || 0));
                  return { pid: process.pid, child: child.pid };
                };
                """;
        try (LaminaFixture shortIdle = LaminaFixture.start(c -> c.withEnvironmentIdleTimeout(Duration.ofMillis(500)))) {
            Invokes.create(shortIdle, "reaped", Runtime.NODEJS20_X, "index.handler", Functions.node(withChild));
            var environments = shortIdle.server().core().environments();
            List<Long> pids = new ArrayList<>();
            List<Long> all = new ArrayList<>();
            for (InvokeResponse r : burst(shortIdle, "reaped", 2, 300)) {
                pids.add(json(r).get("pid").asLong());
                all.add(json(r).get("pid").asLong());
                all.add(json(r).get("child").asLong());
            }
            assertThat(environments.environmentCount("reaped")).isEqualTo(2);
            assertThat(Invokes.eventually(5000, () -> environments.environmentCount("reaped") == 0))
                    .as("environments reaped").isTrue();
            // Killed children are re-parented and may stay zombies for a moment before init collects them.
            assertThat(Invokes.eventually(5000, () -> all.stream()
                    .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))))
                    .as("runtime processes and their children %s ended", all).isTrue();
            // The next invoke starts a new environment.
            InvokeResponse r = shortIdle.lambda().invoke(b -> b.functionName("reaped").logType(LogType.TAIL));
            assertThat(pids).doesNotContain(json(r).get("pid").asLong());
            assertThat(Invokes.report(tail(r)).initDuration()).isPresent();
        }
    }
}
