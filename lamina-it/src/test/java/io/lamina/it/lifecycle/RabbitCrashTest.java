package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import io.lamina.it.sources.Rabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SourceAccessType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message is lost when Lamina dies: messages are published to RabbitMQ (each confirmed by the broker)
 * while a mapping consumes them and the Lamina process is killed with SIGKILL at random moments, several
 * times; after the last restart every published message has been processed at least once. A batch that
 * was running or not yet acked when the process died comes back from the broker (its consumer's
 * connection is gone): the function notes each batch when it starts and when it is done, and the test
 * reports how many messages were started again and how many completed twice (at least once, not exactly once).
 */
class RabbitCrashTest {
    private static final int MESSAGES = 3000;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void everyPublishedMessage_isProcessedAtLeastOnce_acrossHardKills() throws Exception {
        Path data = dir.resolve("data");
        Path sink = dir.resolve("sink.txt");
        Path starts = dir.resolve("starts.txt");
        Path resources = dir.resolve("resources.json");
        Files.writeString(resources, Rabbit.resourcesJson());
        List<String> flags = List.of("--resources-file", resources.toString());

        try (var rabbit = new Rabbit()) {
            String queue = rabbit.queue("rmq-crash");
            var process = LaminaProcess.start(data, flags);
            try {
                LambdaClient lambda = LaminaFixture.client(process.endpoint());
                lambda.createFunction(r -> r.functionName("sink").runtime(Runtime.NODEJS20_X).handler("index.handler")
                        .role(LaminaFixture.ROLE).environment(e -> e.variables(Map.of("SINK", sink.toString(), "STARTS", starts.toString())))
                        .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                                const fs = require('fs');
                                exports.handler = async (event) => {
                                  let lines = '';
                                  for (const messages of Object.values(event.rmqMessagesByQueue)) {
                                    for (const m of messages) { lines += Buffer.from(m.data, 'base64').toString() + "\\n"; }
                                  }
                                  fs.appendFileSync(process.env.STARTS, lines);
                                  // Some work per batch, so that the kills find batches in flight.
                                  await new Promise((r) => setTimeout(r, 40));
                                  fs.appendFileSync(process.env.SINK, lines);
                                };
                                """)))));
                CrashRuns.awaitActive(lambda, "sink");
                lambda.createEventSourceMapping(r -> r.functionName("sink").eventSourceArn(Rabbit.BROKER_ARN)
                        .queues(queue).batchSize(100)
                        .sourceAccessConfigurations(s -> s.type(SourceAccessType.BASIC_AUTH).uri(Rabbit.SECRET_ARN)));

                var published = new AtomicInteger();
                Thread publisher = Thread.ofPlatform().name("publisher").start(() -> {
                    // Steady traffic, each chunk confirmed by the broker, spread over the kills.
                    for (int n = 0; n < MESSAGES; n += 25) {
                        int from = n;
                        rabbit.publishAll(queue, IntStream.range(from, Math.min(from + 25, MESSAGES))
                                .mapToObj(Integer::toString).toList());
                        published.set(Math.min(from + 25, MESSAGES));
                        Rabbit.sleep(50);
                    }
                });
                int killedWhileProcessed = 0;
                var seenAtKills = new ArrayList<Integer>();
                for (int k = 0; k < KILLS; k++) {
                    Rabbit.sleep(ThreadLocalRandom.current().nextLong(400, 1200));
                    int seen = CrashRuns.runs(sink).size();
                    seenAtKills.add(seen);
                    if (seen > 0 && published.get() < MESSAGES) {
                        killedWhileProcessed++;
                    }
                    process.killHard();
                    Rabbit.sleep(ThreadLocalRandom.current().nextLong(0, 300));
                    process = LaminaProcess.start(data, flags);
                }
                publisher.join();

                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                Map<Integer, Integer> runs = CrashRuns.runs(sink);
                while (runs.size() < MESSAGES && System.nanoTime() < deadline) {
                    Rabbit.sleep(200);
                    runs = CrashRuns.runs(sink);
                }
                Set<Integer> missing = new TreeSet<>();
                IntStream.range(0, MESSAGES).filter(i -> !CrashRuns.runs(sink).containsKey(i)).forEach(missing::add);
                Map<Integer, Integer> finalRuns = CrashRuns.runs(sink);
                long duplicates = finalRuns.values().stream().mapToLong(v -> v - 1).sum();
                // Messages whose batch had started when a kill came: given to the function again after the restart.
                long restarted = CrashRuns.runs(starts).values().stream().mapToLong(v -> v - 1).sum();
                System.out.printf("rmq crash test: %d messages published, %d kills (distinct messages processed "
                                + "at each: %s), %d processed, %d duplicate completions, %d deliveries started again "
                                + "after a kill, %d missing%n", published.get(), KILLS, seenAtKills, finalRuns.size(),
                        duplicates, restarted, missing.size());
                assertThat(published.get()).isEqualTo(MESSAGES);
                // Kills fell while messages were being published and processed.
                assertThat(killedWhileProcessed).isPositive();
                assertThat(missing).as("published messages never processed").isEmpty();
            } finally {
                process.close();
            }
        }
    }

}
