package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import io.lamina.it.sources.KafkaBroker;
import io.lamina.it.sources.KafkaSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Kafka record is lost when Lamina dies: records are produced steadily while the Lamina process (a
 * separate OS process) is killed with SIGKILL at random moments while it processes them, and restarted; the broker stays up in
 * this JVM. Offsets are committed only after the function succeeded, so after the last restart every
 * record has run at least once; records that ran before a kill but whose commit did not happen run
 * again, and are counted as duplicates.
 */
class KafkaCrashTest {
    private static final int PARTITIONS = 3;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void everyRecord_runsAtLeastOnce_acrossHardKills() throws Exception {
        Path data = dir.resolve("data");
        Path sink = dir.resolve("sink.txt");
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopic("crash", PARTITIONS);
            LaminaProcess process = LaminaProcess.start(data);
            try {
                var lambda = LaminaFixture.client(process.endpoint());
                String sinkPath = KafkaSupport.JSON.writeValueAsString(sink.toString());
                // One write per batch, so that a kill never leaves half a batch's line behind; 20 ms of work
                // per batch keeps an invocation in flight at almost any moment a kill may land.
                lambda.createFunction(r -> r.functionName("sink").runtime(Runtime.NODEJS20_X).handler("index.handler")
                        .role(LaminaFixture.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                                const fs = require('fs');
                                exports.handler = async (event) => {
                                  await new Promise((resolve) => setTimeout(resolve, 20));
                                  const lines = [];
                                  for (const records of Object.values(event.records)) {
                                    for (const r of records) { lines.push(Buffer.from(r.value, 'base64').toString()); }
                                  }
                                  fs.appendFileSync(%s, lines.join("\\n") + "\\n");
                                };
                                """.formatted(sinkPath))))));
                CrashRuns.awaitActive(lambda, "sink");
                String uuid = lambda.createEventSourceMapping(KafkaSupport.selfManaged("sink", kafka.bootstrapServers(),
                        "crash").startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(100)
                        .maximumBatchingWindowInSeconds(0).build()).uuid();
                KafkaSupport.awaitState(lambda, uuid, "Enabled");

                // The producer keeps sending until the last restart is up, so every kill lands under load.
                var sent = new AtomicInteger();
                var producing = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                    for (int n = 0; producing.get(); n++) {
                        kafka.producer().send(new ProducerRecord<>("crash", n % PARTITIONS, null,
                                Integer.toString(n).getBytes()));
                        sent.incrementAndGet();
                        if (n % 25 == 24) {
                            KafkaSupport.sleep(50);
                        }
                    }
                    kafka.producer().flush();
                });
                List<String> atKills = new ArrayList<>();
                boolean backlogAtAKill = false;
                for (int k = 0; k < KILLS; k++) {
                    // Kill while records are being processed: after (re)start, once the mapping is running
                    // again (a restarted consumer waits out the dead one's session before it gets partitions).
                    int before = CrashRuns.runs(sink).size();
                    KafkaSupport.await("processing to resume", java.time.Duration.ofSeconds(60),
                            () -> CrashRuns.runs(sink).size() > before);
                    KafkaSupport.sleep(ThreadLocalRandom.current().nextLong(200, 1200));
                    int done = CrashRuns.runs(sink).size();
                    int produced = sent.get();
                    process.killHard();
                    atKills.add(produced + " sent/" + done + " ran");
                    backlogAtAKill |= done < produced;
                    process = LaminaProcess.start(data);
                }
                int afterLast = CrashRuns.runs(sink).size();
                KafkaSupport.await("processing to resume", java.time.Duration.ofSeconds(60),
                        () -> CrashRuns.runs(sink).size() > afterLast);
                producing.set(false);
                producer.join();
                final int records = sent.get();

                long deadline = System.currentTimeMillis() + 120_000;
                Map<Integer, Integer> runs = CrashRuns.runs(sink);
                while (runs.size() < records && System.currentTimeMillis() < deadline) {
                    KafkaSupport.sleep(200);
                    runs = CrashRuns.runs(sink);
                }
                Set<Integer> missing = new TreeSet<>();
                for (int n = 0; n < records; n++) {
                    if (!runs.containsKey(n)) {
                        missing.add(n);
                    }
                }
                long duplicates = runs.values().stream().mapToLong(v -> v - 1).sum();
                System.out.printf("kafka crash test: %d records, %d kills (at %s), %d ran, %d duplicate runs, "
                        + "%d missing%n", records, KILLS, atKills, runs.size(), duplicates, missing.size());
                assertThat(backlogAtAKill).as("a kill came while records were still unprocessed").isTrue();
                assertThat(missing).as("records that never ran").isEmpty();
            } finally {
                process.close();
            }
        }
    }

}
