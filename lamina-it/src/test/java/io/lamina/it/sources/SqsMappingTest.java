package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQS event source mappings end to end: a real SQS-compatible server (ElasticMQ, in-process), mappings
 * made with the AWS SDK's LambdaClient, messages sent and counted with its SqsClient, and functions in
 * Java (typed {@code SQSEvent}), Node.js and Python that record what they were given.
 */
class SqsMappingTest {
    static final String ACCOUNT = "000000000000";
    static final ObjectMapper JSON = new ObjectMapper();
    private static io.lamina.it.ElasticMq server;
    static SqsClient sqs;
    static URI sqsEndpoint;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;

    @TempDir
    static Path records;

    @BeforeAll
    static void start() {
        server = io.lamina.it.ElasticMq.start();
        sqsEndpoint = server.endpoint();
        sqs = server.client();
        lamina = LaminaFixture.start(c -> c.withServiceEndpoints(Map.of("sqs", sqsEndpoint)));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() {
        lamina.close();
        server.close();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void javaHandler_readsEveryFieldOfTheTypedSqsEvent_andTheMessageIsDeleted() throws Exception {
        String fn = "sqs-java";
        lamina.create(b -> b.functionName(fn).runtime(Runtime.JAVA21).handler("io.lamina.testfunctions.SqsEventHandler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.javaWithEvents()))).timeout(30)
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
        String queue = queue("typed", Map.of());
        String uuid = map(fn, queue, b -> { });
        SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(url(queue)).messageBody("{\"hello\":\"typed\"}")
                .messageAttributes(Map.of(
                        "colour", MessageAttributeValue.builder().dataType("String").stringValue("blue").build(),
                        "count", MessageAttributeValue.builder().dataType("Number").stringValue("42").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[]{1, 2, 3, -1})).build())));

        Path file = records.resolve(fn + ".txt");
        await(() -> lines(file).size() == 1, "the Java function to run");
        JsonNode seen = lines(file).get(0);
        assertThat(seen.get("messageId").asText()).isEqualTo(sent.messageId());
        assertThat(seen.get("receiptHandle").asText()).isNotBlank();
        assertThat(seen.get("body").asText()).isEqualTo("{\"hello\":\"typed\"}");
        assertThat(seen.get("md5OfBody").asText()).isEqualTo(sent.md5OfMessageBody());
        assertThat(seen.get("md5OfMessageAttributes").asText()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(seen.get("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(seen.get("eventSourceArn").asText()).isEqualTo(arn(queue));
        assertThat(seen.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(seen.get("attributes.ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(seen.get("attributes.SentTimestamp").asText()).matches("\\d{13}");
        assertThat(seen.get("attributes.ApproximateFirstReceiveTimestamp").asText()).matches("\\d{13}");
        assertThat(seen.get("attributes.SenderId").asText()).isNotBlank();
        assertThat(seen.get("messageAttributes.colour.dataType").asText()).isEqualTo("String");
        assertThat(seen.get("messageAttributes.colour.stringValue").asText()).isEqualTo("blue");
        assertThat(seen.get("messageAttributes.colour.binaryValue").isNull()).isTrue();
        assertThat(seen.get("messageAttributes.count.dataType").asText()).isEqualTo("Number");
        assertThat(seen.get("messageAttributes.count.stringValue").asText()).isEqualTo("42");
        assertThat(seen.get("messageAttributes.blob.dataType").asText()).isEqualTo("Binary");
        assertThat(seen.get("messageAttributes.blob.binaryValue").asText()).isEqualTo("AQID/w==");
        assertThat(seen.get("messageAttributes.blob.stringValue").isNull()).isTrue();
        assertThat(seen.get("batchSize").asText()).isEqualTo("1");

        await(() -> queueEmpty(queue), "the message to be deleted");
        delete(uuid);
    }

    @Test
    void aQueueWhoseVisibilityTimeoutIsShorterThanTheFunctionTimeout_isRefusedAsAwsRefusesIt() {
        String fn = nodeRecorder("sqs-visibility", Map.of());
        lambda.updateFunctionConfiguration(b -> b.functionName(fn).timeout(60));
        lamina.awaitReady(fn);
        String queue = queue("short-visibility", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(
                software.amazon.awssdk.services.lambda.model.InvalidParameterValueException.class,
                () -> lambda.createEventSourceMapping(b -> b.functionName(fn).eventSourceArn(arn(queue))));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");
        assertThat(lambda.listEventSourceMappings(b -> b.functionName(fn)).eventSourceMappings()).isEmpty();
    }

    @Test
    void batchingWindow_gathersMoreThanTenMessagesIntoOneInvocation() {
        String fn = nodeRecorder("sqs-window", Map.of());
        String queue = queue("window", Map.of());
        String uuid = map(fn, queue, b -> b.batchSize(100).maximumBatchingWindowInSeconds(2));
        sendBodies(queue, range("w-", 60));

        await(() -> bodies(fn).size() >= 60, "60 messages to be processed");
        assertThat(bodies(fn)).containsExactlyInAnyOrderElementsOf(range("w-", 60));
        int largest = records(fn).stream().mapToInt(r -> r.get("n").asInt()).max().orElse(0);
        assertThat(largest).isGreaterThan(10);
        await(() -> queueEmpty(queue), "the queue to be emptied");
        delete(uuid);
    }

    @Test
    void reportBatchItemFailures_redeliversOnlyTheFailedMessages() {
        String fn = "sqs-partial-py";
        lamina.create(b -> b.functionName(fn).runtime(Runtime.PYTHON3_12).handler("handler.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.python(PYTHON_RECORDER))))
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString(), "FAIL_ONCE", "1"))));
        // AWS refuses a visibility timeout shorter than the function's (3 s by default).
        String queue = queue("partial", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3"));
        String uuid = map(fn, queue, b -> b.batchSize(10).functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        sendBodies(queue, List.of("ok-1", "ok-2", "fail-1", "ok-3"));

        await(() -> count(bodies(fn), "fail-1") == 2, "the failed message to come back once");
        List<String> seen = bodies(fn);
        for (String ok : List.of("ok-1", "ok-2", "ok-3")) {
            assertThat(count(seen, ok)).as(ok).isEqualTo(1);
        }
        assertThat(records(fn).stream().filter(r -> r.get("body").asText().equals("fail-1"))
                .map(r -> r.get("attempt").asText()).toList()).containsExactly("1", "2");
        await(() -> queueEmpty(queue), "the queue to be emptied");
        delete(uuid);
    }

    @Test
    void anItemIdentifierNamingNoMessage_failsTheWholeBatch() {
        String fn = "sqs-bad-id";
        lamina.create(fn, Runtime.NODEJS20_X, "index.handler", Functions.node(RECORDER_PREFIX + """
                  // The first delivery answers an identifier that is not in the batch.
                  if (event.Records[0].attributes.ApproximateReceiveCount === "1") {
                    return {batchItemFailures: [{itemIdentifier: "no-such-message"}]};
                  }
                  return {batchItemFailures: []};
                };
                """));
        setRecordDir(fn);
        String queue = queue("bad-id", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "3"));
        String uuid = map(fn, queue, b -> b.batchSize(10).functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        sendBodies(queue, List.of("a", "b", "c"));

        await(() -> bodies(fn).size() >= 6, "every message to be delivered twice");
        for (String body : List.of("a", "b", "c")) {
            assertThat(count(bodies(fn), body)).as(body).isEqualTo(2);
        }
        await(() -> queueEmpty(queue), "the queue to be emptied");
        delete(uuid);
    }

    @Test
    void aFailingFunction_leavesTheMessageToTheQueuesRedrivePolicy() {
        String fn = nodeRecorder("sqs-crash", Map.of());
        lambda.updateFunctionConfiguration(b -> b.functionName(fn).timeout(2));
        lamina.awaitReady(fn);
        String dlq = queue("crash-dlq", Map.of());
        String queue = queue("crash", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"2\"}"));
        String uuid = map(fn, queue, b -> { });
        sendBodies(queue, List.of("crash-me"));

        await(() -> depth(dlq) == 1, "the message to reach the dead-letter queue");
        assertThat(count(bodies(fn), "crash-me")).isEqualTo(2);
        // AWS's SQS mappings report no LastProcessingResult (its recorded answers); streams and Kafka do.
        assertThat(mapping(uuid).lastProcessingResult()).isNull();
        delete(uuid);
    }

    @Test
    void filteredOutMessages_areDeletedWithoutRunningTheFunction() {
        String fn = nodeRecorder("sqs-filter", Map.of());
        String queue = queue("filter", Map.of());
        String uuid = map(fn, queue, b -> b.filterCriteria(f -> f.filters(x -> x.pattern("{\"body\":{\"keep\":[true]}}"))));
        sendBodies(queue, List.of("{\"keep\":true,\"n\":1}", "{\"keep\":false,\"n\":2}", "not json", "{\"keep\":true,\"n\":3}"));

        await(() -> queueEmpty(queue), "every message to be deleted");
        await(() -> bodies(fn).size() == 2, "the two matching messages to be processed");
        assertThat(bodies(fn)).containsExactlyInAnyOrder("{\"keep\":true,\"n\":1}", "{\"keep\":true,\"n\":3}");
        delete(uuid);
    }

    @Test
    void fifoQueue_keepsTheOrderOfEachMessageGroup() {
        String fn = nodeRecorder("sqs-fifo", Map.of("SLEEP_MS", "20"));
        String queue = queue("order.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        String uuid = map(fn, queue, b -> b.batchSize(3));
        for (int i = 0; i < 15; i++) {
            for (String g : List.of("g1", "g2", "g3")) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url(queue)).messageGroupId(g).messageBody(g + "-" + n));
            }
        }
        await(() -> bodies(fn).size() >= 45, "45 messages to be processed");
        for (String g : List.of("g1", "g2", "g3")) {
            List<String> order = bodies(fn).stream().filter(b -> b.startsWith(g + "-")).toList();
            assertThat(order).as(g).containsExactlyElementsOf(range(g + "-", 15));
        }
        delete(uuid);
    }

    @Test
    void maximumConcurrency_capsHowManyBatchesRunAtOnce() {
        String fn = nodeRecorder("sqs-concurrency", Map.of("SLEEP_MS", "300"));
        String queue = queue("concurrency", Map.of());
        String uuid = map(fn, queue, b -> b.batchSize(1).scalingConfig(s -> s.maximumConcurrency(2)));
        sendBodies(queue, range("c-", 12));

        await(() -> bodies(fn).size() >= 12, "12 messages to be processed");
        List<long[]> spans = records(fn).stream().map(r -> new long[]{r.get("t").asLong(), r.get("end").asLong()}).toList();
        assertThat(maxOverlap(spans)).isEqualTo(2);
        delete(uuid);
    }

    @Test
    void disableEnableUpdateAndDelete_takeEffectWhileMessagesFlow() throws Exception {
        String fn = nodeRecorder("sqs-toggle", Map.of());
        String queue = queue("toggle", Map.of());
        String uuid = map(fn, queue, b -> b.batchSize(10));
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        Thread producer = Thread.ofVirtual().start(() -> {
            while (sending.get()) {
                int n = sent.getAndIncrement();
                sqs.sendMessage(b -> b.queueUrl(url(queue)).messageBody("t-" + n));
                sleep(15);
            }
        });
        try {
            await(() -> bodies(fn).size() > 20, "traffic to flow");

            lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(false));
            await(() -> mapping(uuid).state().equals("Disabled"), "the mapping to be Disabled");
            sleep(500); // a batch that was running when the change came finishes
            int whileDisabled = bodies(fn).size();
            sleep(1500);
            assertThat(bodies(fn)).hasSize(whileDisabled);
            assertThat(depth(queue)).isPositive();

            lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(true));
            await(() -> bodies(fn).size() > whileDisabled + 20, "traffic to flow again");

            lambda.updateEventSourceMapping(b -> b.uuid(uuid).batchSize(2));
            await(() -> mapping(uuid).state().equals("Enabled") && mapping(uuid).batchSize() == 2, "the update");
            sleep(300);
            int before = records(fn).size();
            await(() -> records(fn).size() > before + 20, "traffic after the update");
            assertThat(records(fn).subList(before, records(fn).size())).allSatisfy(r ->
                    assertThat(r.get("n").asInt()).isLessThanOrEqualTo(2));
        } finally {
            sending.set(false);
            producer.join();
        }
        await(() -> queueEmpty(queue), "every message sent to be processed");
        List<String> seen = bodies(fn);
        assertThat(seen).containsAll(range("t-", sent.get()));
        assertThat(seen.size() - seen.stream().distinct().count()).as("duplicates").isZero();

        lambda.deleteEventSourceMapping(b -> b.uuid(uuid));
        await(() -> lambda.listEventSourceMappings(b -> b.functionName(fn)).eventSourceMappings().isEmpty(),
                "the mapping to be deleted");
        sleep(300);
        int afterDelete = bodies(fn).size();
        sendBodies(queue, List.of("after-delete"));
        sleep(1500);
        assertThat(bodies(fn)).hasSize(afterDelete);
        assertThat(depth(queue)).isEqualTo(1);
    }

    @Test
    void aRestartedLamina_resumesItsMappingsFromTheQueue(@TempDir Path dataDir) {
        String queue = queue("restart", Map.of());
        String fn = "sqs-restart";
        try (LaminaFixture first = LaminaFixture.startOn(dataDir, c -> c.withServiceEndpoints(Map.of("sqs", sqsEndpoint)))) {
            first.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node(RECORDER))))
                    .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
            String uuid = first.lambda().createEventSourceMapping(b -> b.functionName(fn).eventSourceArn(arn(queue))).uuid();
            await(() -> first.lambda().getEventSourceMapping(b -> b.uuid(uuid)).state().equals("Enabled"), "Enabled");
            sendBodies(queue, List.of("before"));
            await(() -> bodies(fn).contains("before"), "the first message");
        }
        sendBodies(queue, range("r-", 10));
        sleep(500);
        assertThat(depth(queue)).isEqualTo(10);
        try (LaminaFixture second = LaminaFixture.startOn(dataDir, c -> c.withServiceEndpoints(Map.of("sqs", sqsEndpoint)))) {
            await(() -> bodies(fn).containsAll(range("r-", 10)), "the messages sent while Lamina was down");
            await(() -> queueEmpty(queue), "the queue to be emptied");
        }
    }

    // ------------------------------------------------------------------ functions

    /** Node.js: one line per record to $RECORD_DIR/<function>.jsonl: body, id, batch size, receive count, start, end. */
    static final String RECORDER_PREFIX = """
            const fs = require('fs');
            exports.handler = async (event, context) => {
              const t = Date.now();
              if (process.env.SLEEP_MS) { await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS))); }
              const end = Date.now();
              fs.appendFileSync(process.env.RECORD_DIR + "/" + context.functionName + ".jsonl",
                event.Records.map((r) => JSON.stringify({id: r.messageId, body: r.body, n: event.Records.length,
                  attempt: r.attributes.ApproximateReceiveCount, t: t, end: end})).join("\\n") + "\\n");
            """;

    static final String RECORDER = RECORDER_PREFIX + """
              if (event.Records.some((r) => r.body.includes("crash"))) { throw new Error("crash requested"); }
              return {batchItemFailures: event.Records.filter((r) => r.body.includes("fail"))
                .map((r) => ({itemIdentifier: r.messageId}))};
            };
            """;

    /** Python: the same lines; with FAIL_ONCE, a "fail" message is reported failed on its first delivery only. */
    static final String PYTHON_RECORDER = """
            import json, os, time

            def handler(event, context):
                t = int(time.time() * 1000)
                path = os.path.join(os.environ["RECORD_DIR"], context.function_name + ".jsonl")
                with open(path, "a") as f:
                    for r in event["Records"]:
                        f.write(json.dumps({"id": r["messageId"], "body": r["body"], "n": len(event["Records"]),
                                            "attempt": r["attributes"]["ApproximateReceiveCount"], "t": t, "end": t}) + "\\n")
                failed = [r for r in event["Records"] if "fail" in r["body"]
                          and (not os.environ.get("FAIL_ONCE") or r["attributes"]["ApproximateReceiveCount"] == "1")]
                return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in failed]}
            """;

    private String nodeRecorder(String fn, Map<String, String> env) {
        var vars = new HashMap<>(env);
        vars.put("RECORD_DIR", records.toString());
        lamina.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node(RECORDER)))).timeout(30)
                .environment(e -> e.variables(vars)));
        return fn;
    }

    private void setRecordDir(String fn) {
        lambda.updateFunctionConfiguration(b -> b.functionName(fn)
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
        lamina.awaitReady(fn);
    }

    // ------------------------------------------------------------------ helpers

    static String queue(String name, Map<QueueAttributeName, String> attributes) {
        sqs.createQueue(b -> b.queueName(name).attributes(attributes));
        return name;
    }

    static String url(String queue) {
        return sqsEndpoint + "/" + ACCOUNT + "/" + queue;
    }

    static String arn(String queue) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queue;
    }

    private String map(String fn, String queue, Consumer<CreateEventSourceMappingRequest.Builder> customize) {
        CreateEventSourceMappingRequest.Builder b = CreateEventSourceMappingRequest.builder().functionName(fn)
                .eventSourceArn(arn(queue));
        customize.accept(b);
        String uuid = lambda.createEventSourceMapping(b.build()).uuid();
        await(() -> mapping(uuid).state().equals("Enabled"), "the mapping to be Enabled");
        return uuid;
    }

    private GetEventSourceMappingResponse mapping(String uuid) {
        return lambda.getEventSourceMapping(b -> b.uuid(uuid));
    }

    private void delete(String uuid) {
        lambda.deleteEventSourceMapping(b -> b.uuid(uuid));
    }

    static void sendBodies(String queue, List<String> bodies) {
        for (int i = 0; i < bodies.size(); i += 10) {
            List<String> chunk = bodies.subList(i, Math.min(bodies.size(), i + 10));
            var entries = new ArrayList<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry>();
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id("m" + j).messageBody(chunk.get(j)).build());
            }
            var r = sqs.sendMessageBatch(b -> b.queueUrl(url(queue)).entries(entries));
            assertThat(r.failed()).isEmpty();
        }
    }

    static int depth(String queue) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url(queue)).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static boolean queueEmpty(String queue) {
        return depth(queue) == 0;
    }

    static List<String> range(String prefix, int n) {
        var out = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static List<JsonNode> records(String fn) {
        return lines(records.resolve(fn + ".jsonl"));
    }

    static List<String> bodies(String fn) {
        return records(fn).stream().map(r -> r.get("body").asText()).toList();
    }

    static long count(List<String> values, String value) {
        return values.stream().filter(value::equals).count();
    }

    static List<JsonNode> lines(Path file) {
        return io.lamina.it.JsonLines.read(file);
    }

    /** The most spans open at one instant. */
    static int maxOverlap(List<long[]> spans) {
        var edges = new java.util.TreeMap<Long, Integer>();
        for (long[] s : spans) {
            edges.merge(s[0], 1, Integer::sum);
            edges.merge(s[1], -1, Integer::sum);
        }
        int open = 0;
        int max = 0;
        for (int d : edges.values()) {
            open += d;
            max = Math.max(max, open);
        }
        return max;
    }

    static void await(BooleanSupplier condition, String what) {
        io.lamina.it.Waits.await(what, Duration.ofSeconds(60), condition);
    }

    static void sleep(long ms) {
        io.lamina.it.Waits.sleep(ms);
    }
}
