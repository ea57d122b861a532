package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.LaminaConfig;
import io.lamina.server.LaminaServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records/s through an SQS event source mapping to a no-op Node.js function at batch sizes 1, 100 and
 * 1,000, beside the raw SDK client draining the same queue with as many threads as the mapping has
 * pollers, in the same run; and the idle delivery latency (send to an idle mapping, time until the
 * function starts). ElasticMQ and Lamina run in this JVM, so both sides share the machine alike.
 *
 * <p>Usage: {@code SqsBench [messages-per-case]} (default 5000); prints one line per measure.
 */
public final class SqsBench {
    private static final String ACCOUNT = "000000000000";
    private static final int POLLERS = 5;

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        SQSRestServer mq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSAccountId(ACCOUNT)
                .withAWSRegion("us-east-1").start();
        URI endpoint = URI.create("http://127.0.0.1:" + mq.waitUntilStarted().localAddress().getPort());
        Path data = Files.createTempDirectory("lamina-sqs-bench");
        Path marks = data.resolve("marks.txt");
        try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
             LaminaServer lamina = LaminaServer.start(LaminaConfig.defaults().withPort(0).withDataDir(data)
                     .withServiceEndpoints(Map.of("sqs", endpoint)));
             LambdaApi api = new LambdaApi(URI.create(lamina.endpoint()))) {
            api.createFunction("noop", new Packages.Fn("node", "nodejs20.x", "index.handler",
                    Packages.zip(Map.of("index.js", utf8("exports.handler = async () => {};")))), 128, 30);
            api.createFunction("marker", new Packages.Fn("node", "nodejs20.x", "index.handler",
                    Packages.zip(Map.of("index.js", utf8("const fs = require('fs');\n"
                            + "exports.handler = async () => { fs.appendFileSync(" + quote(marks) + ", Date.now() + \"\\n\"); };")))),
                    128, 30);
            api.waitActive("noop", 30_000);
            api.waitActive("marker", 30_000);

            for (int batch : new int[]{1, 100, 1000}) {
                String raw = "raw-" + batch;
                fill(sqs, queue(sqs, raw), messages);
                double rawRate = drainRaw(sqs, sqs.getQueueUrl(b -> b.queueName(raw)).queueUrl(), messages);

                String q = "mapped-" + batch;
                String url = queue(sqs, q);
                fill(sqs, url, messages);
                ObjectNode req = LambdaApi.JSON.createObjectNode();
                req.put("FunctionName", "noop");
                req.put("EventSourceArn", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + q);
                req.put("BatchSize", batch);
                if (batch > 10) {
                    req.put("MaximumBatchingWindowInSeconds", 1);
                }
                long t0 = System.nanoTime();
                String uuid = api.createMapping(req);
                api.waitMappingState(uuid, "Enabled", 30_000);
                while (depth(sqs, url) > 0) {
                    Thread.sleep(2);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                api.deleteMapping(uuid);
                System.out.printf("sqs batch=%d messages=%d mapping=%.0f/s raw_client=%.0f/s ratio=%.2f%n",
                        batch, messages, messages / secs, rawRate, messages / secs / rawRate);
            }

            // Idle latency: one message at a time into an idle queue read by an enabled mapping.
            String idle = queue(sqs, "idle");
            ObjectNode req = LambdaApi.JSON.createObjectNode();
            req.put("FunctionName", "marker");
            req.put("EventSourceArn", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":idle");
            req.put("BatchSize", 10);
            api.waitMappingState(api.createMapping(req), "Enabled", 30_000);
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Thread.sleep(300); // idle: the pollers are inside their long polls
                int before = lines(marks);
                long sent = System.currentTimeMillis();
                sqs.sendMessage(b -> b.queueUrl(idle).messageBody("x"));
                while (lines(marks) == before) {
                    Thread.sleep(1);
                }
                List<String> all = Files.readAllLines(marks);
                long ran = Long.parseLong(all.get(all.size() - 1).trim());
                if (i >= 5) { // the first deliveries start the function's environments
                    latencies.add((double) (ran - sent));
                }
            }
            Stats s = Stats.of(latencies);
            System.out.printf("sqs idle_latency_ms p50=%.1f p99=%.1f n=%d%n", s.p(50), s.p(99), latencies.size());
        } finally {
            mq.stopAndWait();
        }
    }

    private static String queue(SqsClient sqs, String name) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
                .queueUrl();
    }

    private static void fill(SqsClient sqs, String url, int n) {
        for (int i = 0; i < n; i += 10) {
            var entries = new ArrayList<SendMessageBatchRequestEntry>();
            for (int j = 0; j < 10 && i + j < n; j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + j).messageBody("{\"n\":" + (i + j) + "}").build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        }
    }

    /** The raw client: POLLERS threads receiving 10 at a time and deleting each batch, until the queue is empty. */
    private static double drainRaw(SqsClient sqs, String url, int n) throws InterruptedException {
        var done = new java.util.concurrent.atomic.AtomicInteger();
        var stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < POLLERS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (!stop.get() && done.get() < n) {
                    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")).messages();
                    if (got.isEmpty()) {
                        continue;
                    }
                    var entries = new ArrayList<DeleteMessageBatchRequestEntry>();
                    for (int j = 0; j < got.size(); j++) {
                        entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + j).receiptHandle(got.get(j).receiptHandle()).build());
                    }
                    sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
                    done.addAndGet(got.size());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        stop.set(true);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static int depth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static int lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
