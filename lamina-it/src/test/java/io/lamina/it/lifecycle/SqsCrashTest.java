package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No SQS message is lost by a mapping: messages flow into a queue while the Lamina process reading it
 * is killed with SIGKILL at random moments, several times; after the last restart every message has
 * run at least once and the queue is empty. A message whose batch was running (or whose delete was not
 * yet sent) when the process died comes back after its visibility timeout: a duplicate, counted.
 */
class SqsCrashTest {
    private static final int MESSAGES = 2000;
    private static final int KILLS = 3;
    private static final String ACCOUNT = "000000000000";

    @TempDir
    Path dir;

    @Test
    void everyMessage_runsAtLeastOnce_acrossHardKills() throws Exception {
        try (io.lamina.it.ElasticMq server = io.lamina.it.ElasticMq.start()) {
            SqsClient sqs = server.client();
            URI endpoint = server.endpoint();
            String url = sqs.createQueue(b -> b.queueName("crash")
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3"))).queueUrl();
            Path data = dir.resolve("data");
            Path sink = dir.resolve("sink.txt");
            List<String> flags = List.of("--endpoint-sqs", endpoint.toString());
            var process = new AtomicReference<>(LaminaProcess.start(data, flags));
            LambdaClient lambda = LaminaFixture.client(process.get().endpoint());
            lambda.createFunction(r -> r.functionName("sink").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .role(LaminaFixture.ROLE).code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                            const fs = require('fs');
                            exports.handler = async (event) => {
                              fs.appendFileSync(%s, event.Records.map((r) => r.body + "\\n").join(""));
                            };
                            """.formatted("\"" + sink + "\""))))));
            CrashRuns.awaitActive(lambda, "sink");
            lambda.createEventSourceMapping(b -> b.functionName("sink").batchSize(10)
                    .eventSourceArn("arn:aws:sqs:us-east-1:" + ACCOUNT + ":crash"));

            var sent = new AtomicInteger();
            Thread producer = Thread.ofPlatform().start(() -> {
                while (sent.get() < MESSAGES) {
                    var entries = new ArrayList<SendMessageBatchRequestEntry>();
                    for (int i = 0; i < 10 && sent.get() + i < MESSAGES; i++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + i)
                                .messageBody(Integer.toString(sent.get() + i)).build());
                    }
                    sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                    sent.addAndGet(entries.size());
                    // Slow enough that the kills come while messages still flow.
                    io.lamina.it.Waits.sleep(15);
                }
            });
            for (int k = 0; k < KILLS; k++) {
                io.lamina.it.Waits.sleep(ThreadLocalRandom.current().nextLong(800, 2000));
                process.get().killHard();
                io.lamina.it.Waits.sleep(ThreadLocalRandom.current().nextLong(0, 300));
                process.set(LaminaProcess.start(data, flags));
            }
            producer.join();
            try {
                long deadline = System.currentTimeMillis() + 180_000;
                Map<Integer, Integer> runs = CrashRuns.runs(sink);
                while ((runs.size() < MESSAGES || depth(sqs, url) > 0) && System.currentTimeMillis() < deadline) {
                    io.lamina.it.Waits.sleep(200);
                    runs = CrashRuns.runs(sink);
                }
                Set<Integer> missing = new TreeSet<>();
                for (int i = 0; i < MESSAGES; i++) {
                    if (!runs.containsKey(i)) {
                        missing.add(i);
                    }
                }
                long duplicates = runs.values().stream().mapToLong(v -> v - 1).sum();
                System.out.printf("sqs crash test: %d messages sent, %d kills, %d ran, %d duplicate runs, %d missing%n",
                        sent.get(), KILLS, runs.size(), duplicates, missing.size());
                assertThat(missing).as("messages that never ran").isEmpty();
                assertThat(depth(sqs, url)).as("messages left in the queue").isZero();
            } finally {
                process.get().close();
            }
        }
    }

    private static int depth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

}
