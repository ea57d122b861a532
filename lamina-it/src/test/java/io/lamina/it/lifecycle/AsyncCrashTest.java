package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No accepted async event is lost: thousands of events are sent by parallel callers while the Lamina
 * process is killed with SIGKILL at random moments, several times; after the last restart every
 * event that was answered 202 has run at least once. Duplicates (events that were running or whose
 * completion was not yet stored when the process died) are counted and reported.
 */
class AsyncCrashTest {
    private static final int EVENTS = 3000;
    private static final int CALLERS = 8;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void everyAcceptedEvent_runsAtLeastOnce_acrossHardKills() throws Exception {
        Path data = dir.resolve("data");
        Path sink = dir.resolve("sink.txt");
        var process = new AtomicReference<>(LaminaProcess.start(data));
        var client = new AtomicReference<>(LaminaFixture.client(process.get().endpoint()));
        client.get().createFunction(r -> r.functionName("sink").runtime(Runtime.NODEJS20_X).handler("index.handler")
                .role(LaminaFixture.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                        const fs = require('fs');
                        exports.handler = async (event) => { fs.appendFileSync(event.file, event.n + "\\n"); };
                        """)))));
        CrashRuns.awaitActive(client.get(), "sink");

        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        var next = new AtomicInteger();
        var refused = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            callers.add(Thread.ofPlatform().name("caller-" + c).start(() -> {
                int n;
                while ((n = next.getAndIncrement()) < EVENTS) {
                    // Resend the same event until one attempt is answered 202: an attempt that failed
                    // mid-crash may still have been stored, which is a duplicate, not a loss.
                    String payload = "{\"file\":\"" + sink + "\",\"n\":" + n + "}";
                    while (true) {
                        try {
                            int code = client.get().invoke(r -> r.functionName("sink")
                                    .invocationType(InvocationType.EVENT)
                                    .payload(SdkBytes.fromUtf8String(payload))).statusCode();
                            if (code == 202) {
                                break;
                            }
                        } catch (RuntimeException e) {
                            refused.incrementAndGet();
                            io.lamina.it.Waits.sleep(20);
                        }
                    }
                    accepted.add(n);
                }
            }));
        }
        for (int k = 0; k < KILLS; k++) {
            io.lamina.it.Waits.sleep(ThreadLocalRandom.current().nextLong(300, 1500));
            process.get().killHard();
            io.lamina.it.Waits.sleep(ThreadLocalRandom.current().nextLong(0, 300));
            process.set(LaminaProcess.start(data));
            client.set(LaminaFixture.client(process.get().endpoint()));
        }
        for (Thread t : callers) {
            t.join();
        }
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            Map<Integer, Integer> runs = CrashRuns.runs(sink);
            while (!runs.keySet().containsAll(accepted) && System.currentTimeMillis() < deadline) {
                io.lamina.it.Waits.sleep(200);
                runs = CrashRuns.runs(sink);
            }
            Set<Integer> missing = new java.util.TreeSet<>(accepted);
            missing.removeAll(runs.keySet());
            long duplicates = runs.values().stream().mapToLong(v -> v - 1).sum();
            System.out.printf("async crash test: %d events accepted, %d kills, %d failed calls retried, "
                            + "%d ran, %d duplicate runs, %d missing%n", accepted.size(), KILLS, refused.get(),
                    runs.size(), duplicates, missing.size());
            assertThat(accepted).hasSize(EVENTS);
            // The kills came while events were being sent (calls failed), not after the last was accepted.
            assertThat(refused.get()).isPositive();
            assertThat(missing).as("accepted events that never ran").isEmpty();
        } finally {
            process.get().close();
        }
    }

}
