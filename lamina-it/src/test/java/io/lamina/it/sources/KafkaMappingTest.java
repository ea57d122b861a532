package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.SourceResources;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.lamina.it.sources.KafkaSupport.JSON;
import static io.lamina.it.sources.KafkaSupport.await;
import static io.lamina.it.sources.KafkaSupport.awaitState;
import static io.lamina.it.sources.KafkaSupport.invocations;
import static io.lamina.it.sources.KafkaSupport.records;
import static io.lamina.it.sources.KafkaSupport.selfManaged;
import static io.lamina.it.sources.KafkaSupport.sleep;
import static io.lamina.it.sources.KafkaSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka event source mappings end to end: a real KRaft broker in this JVM, mappings made with the AWS SDK's
 * {@link LambdaClient}, functions in Java (typed {@code KafkaEvent}), Node.js and Python that write down
 * every event they get.
 */
class KafkaMappingTest {
    private static final String ACCOUNT = "000000000000";
    private static final String MSK_ARN = "arn:aws:kafka:us-east-1:" + ACCOUNT + ":cluster/lamina-test/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaBroker kafka;
    private static io.lamina.it.ElasticMq mq;
    private static SqsClient sqs;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;

    @TempDir
    static Path records;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        mq = io.lamina.it.ElasticMq.start();
        URI sqsEndpoint = mq.endpoint();
        sqs = mq.client();
        lamina = LaminaFixture.start(c -> c
                .withServiceEndpoints(Map.of("sqs", sqsEndpoint))
                .withSources(new SourceResources(Map.of(MSK_ARN, kafka.bootstrapServers()), Map.of())));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() throws Exception {
        lamina.close();
        mq.close();
        kafka.close();
    }

    private static void function(String name, Runtime runtime, String handler, byte[] zip) {
        lamina.create(b -> b.functionName(name).runtime(runtime).handler(handler).timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(zip)))
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
    }

    private static String map(CreateEventSourceMappingRequest.Builder request) {
        String uuid = lambda.createEventSourceMapping(request.build()).uuid();
        awaitState(lambda, uuid, "Enabled");
        return uuid;
    }

    /** Waits until the mapping's consumer holds its partitions: it commits the starting position then. */
    private static void awaitAssigned(String group, String topic, int partitions) {
        await("group " + group + " to start on " + topic, WAIT, () -> kafka.committed(group).keySet().stream()
                .filter(tp -> tp.topic().equals(topic)).count() == partitions);
    }

    private static long committed(String group, String topic, int partition) {
        return kafka.committed(group).getOrDefault(new TopicPartition(topic, partition), -1L);
    }

    @Test
    void javaTypedKafkaEvent_seesEveryFieldOfSelfManagedRecords() {
        String fn = "kafka-java-fields", topic = "java-fields";
        kafka.createTopic(topic, 2);
        List<org.apache.kafka.common.header.Header> headers = List.of(new RecordHeader("trace", new byte[]{118, -36, 0, 127, -128}),
                new RecordHeader("kind", "order".getBytes()));
        // Producer timestamps within the broker's retention (older segments are deleted at once).
        long t0 = System.currentTimeMillis() - 60_000, t1 = t0 + 333;
        RecordMetadata m0 = kafka.send(new ProducerRecord<>(topic, 0, t0, "k0".getBytes(),
                "{\"n\":0}".getBytes(), headers));
        RecordMetadata m1 = kafka.send(new ProducerRecord<>(topic, 1, t1, null, "plain".getBytes()));
        function(fn, Runtime.JAVA21, KafkaSupport.JAVA_HANDLER, Functions.javaWithEvents());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumBatchingWindowInSeconds(1));

        await("both records", WAIT, () -> values(invocations(records, fn), false).size() == 2);
        List<JsonNode> got = invocations(records, fn);
        JsonNode first = got.get(0);
        assertThat(first.get("eventSource").asText()).isEqualTo("SelfManagedKafka");
        assertThat(first.get("eventSourceArn").isNull()).isTrue();
        assertThat(first.get("bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(first.get("requestId").asText()).isNotEmpty();
        var all = new ArrayList<JsonNode>();
        got.forEach(inv -> inv.get("records").fields().forEachRemaining(e -> {
            // Records are keyed by topic and partition joined with a hyphen.
            e.getValue().forEach(r -> assertThat(e.getKey()).isEqualTo(topic + "-" + r.get("partition").asInt()));
            e.getValue().forEach(all::add);
        }));
        JsonNode r0 = all.stream().filter(r -> r.get("partition").asInt() == 0).findFirst().orElseThrow();
        assertThat(r0.get("topic").asText()).isEqualTo(topic);
        assertThat(r0.get("offset").asLong()).isEqualTo(m0.offset());
        assertThat(r0.get("timestamp").asLong()).isEqualTo(t0);
        assertThat(r0.get("timestampType").asText()).isEqualTo("CREATE_TIME");
        assertThat(r0.get("key").asText()).isEqualTo("k0");
        assertThat(r0.get("value").asText()).isEqualTo("{\"n\":0}");
        assertThat(r0.get("headers")).isEqualTo(JSON.valueToTree(List.of(
                Map.of("trace", List.of(118, -36, 0, 127, -128)),
                Map.of("kind", toInts("order".getBytes())))));
        JsonNode r1 = all.stream().filter(r -> r.get("partition").asInt() == 1).findFirst().orElseThrow();
        assertThat(r1.get("offset").asLong()).isEqualTo(m1.offset());
        assertThat(r1.get("timestamp").asLong()).isEqualTo(t1);
        assertThat(r1.get("key").isNull()).isTrue();
        assertThat(r1.get("value").asText()).isEqualTo("plain");
        assertThat(r1.get("headers")).isEmpty();
        // Offsets are committed after the function succeeded: both partitions are past their record.
        await("commits", WAIT, () -> committed(uuid, topic, 0) == 1 && committed(uuid, topic, 1) == 1);
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult()).isEqualTo("OK");
    }

    private static List<Integer> toInts(byte[] bytes) {
        var out = new ArrayList<Integer>();
        for (byte b : bytes) {
            out.add((int) b);
        }
        return out;
    }

    @Test
    void mskMapping_readsTheClusterItsArnIsConfiguredFor_andSaysAwsKafka() {
        String fn = "kafka-node-msk", topic = "msk-orders";
        kafka.createTopic(topic, 1);
        kafka.send(topic, 0, "a", "hello");
        function(fn, Runtime.NODEJS20_X, "index.handler", KafkaSupport.node());
        String uuid = map(CreateEventSourceMappingRequest.builder().functionName(fn).eventSourceArn(MSK_ARN).topics(topic)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).amazonManagedKafkaEventSourceConfig(c -> c
                        .consumerGroupId("msk-group-1")));

        await("the record", WAIT, () -> !invocations(records, fn).isEmpty());
        JsonNode e = invocations(records, fn).get(0);
        assertThat(e.get("eventSource").asText()).isEqualTo("aws:kafka");
        assertThat(e.get("eventSourceArn").asText()).isEqualTo(MSK_ARN);
        assertThat(e.get("bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(records(e)).hasSize(1);
        assertThat(KafkaSupport.value(records(e).get(0), true)).isEqualTo("hello");
        assertThat(records(e).get(0).get("key").asText()).isEqualTo("YQ==");
        // The consumer group is the one asked for, not the mapping's UUID.
        await("commit", WAIT, () -> committed("msk-group-1", topic, 0) == 1);
        assertThat(kafka.committed(uuid)).isEmpty();
    }

    @Test
    void batches_holdAtMostBatchSize_inPartitionOrder_andTheWindowGathersLateRecords() {
        String fn = "kafka-python-batch", topic = "batching";
        kafka.createTopic(topic, 1);
        for (int i = 0; i < 7; i++) {
            kafka.send(topic, 0, null, "r" + i);
        }
        function(fn, Runtime.PYTHON3_12, "handler.handler", KafkaSupport.python());
        map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(3).maximumBatchingWindowInSeconds(1));
        await("seven records", WAIT, () -> values(invocations(records, fn), true).size() == 7);
        List<JsonNode> got = invocations(records, fn);
        assertThat(got).allSatisfy(inv -> assertThat(records(inv)).hasSizeLessThanOrEqualTo(3));
        assertThat(values(got, true)).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6");

        // Two records a moment apart within the window come in one invocation.
        int before = got.size();
        kafka.send(topic, 0, null, "late-1");
        sleep(300);
        kafka.send(topic, 0, null, "late-2");
        await("late records", WAIT, () -> values(invocations(records, fn), true).size() == 9);
        List<JsonNode> after = invocations(records, fn);
        assertThat(after).hasSize(before + 1);
        assertThat(values(after.subList(before, after.size()), true)).containsExactly("late-1", "late-2");
    }

    @Test
    void filterCriteria_dropRecordsThatDoNotMatch_andTheirOffsetsAreCommittedAnyway() {
        String fn = "kafka-node-filter", topic = "filtered";
        kafka.createTopic(topic, 1);
        kafka.send(topic, 0, null, "{\"type\":\"keep\",\"n\":1}");
        kafka.send(topic, 0, null, "{\"type\":\"drop\",\"n\":2}");
        kafka.send(topic, 0, null, "not json");
        kafka.send(topic, 0, null, "{\"type\":\"keep\",\"n\":4}");
        kafka.send(topic, 0, null, "{\"type\":\"drop\",\"n\":5}");
        function(fn, Runtime.NODEJS20_X, "index.handler", KafkaSupport.node());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .filterCriteria(f -> f.filters(b -> b.pattern("{\"value\":{\"type\":[\"keep\"]}}"))));
        await("every offset committed", WAIT, () -> committed(uuid, topic, 0) == 5);
        assertThat(values(invocations(records, fn), true))
                .containsExactly("{\"type\":\"keep\",\"n\":1}", "{\"type\":\"keep\",\"n\":4}");
    }

    @Test
    void partialBatchResponse_retriesFromTheFirstReportedRecord_andCommitsTheRecordsBeforeIt() {
        String fn = "kafka-python-partial", topic = "partial";
        kafka.createTopic(topic, 1);
        for (String v : List.of("a", "b", "reject-once", "c")) {
            kafka.send(topic, 0, null, v);
        }
        function(fn, Runtime.PYTHON3_12, "handler.handler", KafkaSupport.python());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(10).maximumBatchingWindowInSeconds(1)
                .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        await("the retry", WAIT, () -> invocations(records, fn).size() == 2);
        List<JsonNode> got = invocations(records, fn);
        assertThat(values(got.subList(0, 1), true)).containsExactly("a", "b", "reject-once", "c");
        assertThat(values(got.subList(1, 2), true)).containsExactly("reject-once", "c");
        await("all committed", WAIT, () -> committed(uuid, topic, 0) == 4);
        sleep(500);
        assertThat(invocations(records, fn)).hasSize(2);
    }

    @Test
    void functionErrors_areRetriedInPlace_thenTheBatchGoesToOnFailure_andTheNextRecordsFlow() {
        String fn = "kafka-node-onfailure", topic = "failing";
        kafka.createTopic(topic, 1);
        String queueUrl = sqs.createQueue(b -> b.queueName("kafka-failures")).queueUrl();
        kafka.send(topic, 0, null, "fail-me");
        function(fn, Runtime.NODEJS20_X, "index.handler", KafkaSupport.node());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:sqs:us-east-1:" + ACCOUNT + ":kafka-failures"))));

        Message m = receiveOne(queueUrl);
        JsonNode doc = JSON.valueToTree(parse(m.body()));
        assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(doc.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(doc.at("/requestContext/functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + fn);
        assertThat(doc.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(doc.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(doc.at("/version").asText()).isEqualTo("1.0");
        assertThat(doc.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(doc.at("/KafkaBatchInfo/bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(doc.at("/KafkaBatchInfo").has("eventSourceArn")).isFalse();
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/" + topic + "-0/firstRecordOffset").asText()).isEqualTo("0");
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/" + topic + "-0/lastRecordOffset").asText()).isEqualTo("0");
        assertThat(invocations(records, fn)).hasSize(2);

        kafka.send(topic, 0, null, "fine");
        await("the next record", WAIT, () -> values(invocations(records, fn), true).contains("fine"));
        await("commit past both", WAIT, () -> committed(uuid, topic, 0) == 2);
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult()).isEqualTo("OK");
    }

    @Test
    void recordsOlderThanMaximumRecordAge_goToOnFailureUnrun_andNewerOnesRun() {
        String fn = "kafka-python-age", topic = "aged";
        kafka.createTopic(topic, 1);
        String queueUrl = sqs.createQueue(b -> b.queueName("kafka-aged")).queueUrl();
        long old = System.currentTimeMillis() - 300_000;
        kafka.send(new ProducerRecord<>(topic, 0, old, null, "stale".getBytes()));
        function(fn, Runtime.PYTHON3_12, "handler.handler", KafkaSupport.python());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumRecordAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:sqs:us-east-1:" + ACCOUNT + ":kafka-aged"))));

        JsonNode doc = parse(receiveOne(queueUrl).body());
        assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(doc.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(0);
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/" + topic + "-0/firstRecordTimestamp").asText())
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                        .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(old)));
        kafka.send(topic, 0, null, "fresh");
        await("the fresh record", WAIT, () -> values(invocations(records, fn), true).contains("fresh"));
        assertThat(values(invocations(records, fn), true)).containsExactly("fresh");
        await("commit past both", WAIT, () -> committed(uuid, topic, 0) == 2);
    }

    @Test
    void bisectOnError_isolatesTheFailingRecord_soTheOthersAreProcessed() {
        String fn = "kafka-java-bisect", topic = "bisect";
        kafka.createTopic(topic, 1);
        for (String v : List.of("ok-0", "ok-1", "ok-2", "fail-3")) {
            kafka.send(topic, 0, null, v);
        }
        function(fn, Runtime.JAVA21, KafkaSupport.JAVA_HANDLER, Functions.javaWithEvents());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(4).maximumBatchingWindowInSeconds(1).bisectBatchOnFunctionError(true).maximumRetryAttempts(3));
        await("everything settled", WAIT, () -> committed(uuid, topic, 0) == 4);
        List<JsonNode> got = invocations(records, fn);
        assertThat(values(got.subList(0, 1), false)).containsExactly("ok-0", "ok-1", "ok-2", "fail-3");
        // Split in two: the good half once, the half with the bad record until it is alone and given up.
        assertThat(got).anySatisfy(inv -> assertThat(values(List.of(inv), false)).containsExactly("ok-0", "ok-1"));
        assertThat(got).anySatisfy(inv -> assertThat(values(List.of(inv), false)).containsExactly("fail-3"));
        assertThat(values(got, false)).contains("ok-2");
    }

    @Test
    void startingPositionLatest_skipsOlderRecords_andAtTimestampStartsAtTheFirstRecordAtOrAfterIt() {
        String fn = "kafka-node-positions", latest = "pos-latest", timed = "pos-timed";
        kafka.createTopic(latest, 1);
        kafka.createTopic(timed, 1);
        kafka.send(latest, 0, null, "before");
        // Timestamps within the broker's retention, which deletes older segments at once.
        long now = System.currentTimeMillis();
        kafka.send(new ProducerRecord<>(timed, 0, now - 60_000, null, "old".getBytes()));
        kafka.send(new ProducerRecord<>(timed, 0, now - 20_000, null, "new".getBytes()));
        function(fn, Runtime.NODEJS20_X, "index.handler", KafkaSupport.node());
        String l = map(selfManaged(fn, kafka.bootstrapServers(), latest).startingPosition(EventSourcePosition.LATEST));
        awaitAssigned(l, latest, 1);
        kafka.send(latest, 0, null, "after");
        map(selfManaged(fn, kafka.bootstrapServers(), timed).startingPosition(EventSourcePosition.AT_TIMESTAMP)
                .startingPositionTimestamp(Instant.ofEpochMilli(now - 40_000)));
        await("both", WAIT, () -> values(invocations(records, fn), true).size() >= 2);
        sleep(1000);
        assertThat(values(invocations(records, fn), true)).containsExactlyInAnyOrder("after", "new");
    }

    @Test
    void disableEnableUpdateDelete_whileRecordsFlow_loseNothingAndStopWhenAsked() throws Exception {
        String fn = "kafka-node-lifecycle", topic = "lifecycle";
        kafka.createTopic(topic, 2);
        function(fn, Runtime.NODEJS20_X, "index.handler", KafkaSupport.node());
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(5).maximumBatchingWindowInSeconds(0));
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().start(() -> {
            while (producing.get()) {
                int n = sent.getAndIncrement();
                kafka.send(topic, n % 2, null, "n" + n);
                sleep(10);
            }
        });
        try {
            await("traffic", WAIT, () -> values(invocations(records, fn), true).size() > 20);
            lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false));
            awaitState(lambda, uuid, "Disabled");
            sleep(500); // a batch in flight when disabling settles
            int seen = invocations(records, fn).size();
            sleep(1500);
            assertThat(invocations(records, fn)).hasSize(seen);

            lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
            awaitState(lambda, uuid, "Enabled");
            await("resumed", WAIT, () -> invocations(records, fn).size() > seen);

            lambda.updateEventSourceMapping(r -> r.uuid(uuid).batchSize(50).maximumBatchingWindowInSeconds(1));
            awaitState(lambda, uuid, "Enabled");
            sleep(1500);
        } finally {
            producing.set(false);
            producer.join();
        }
        int total = sent.get();
        await("every record", WAIT, () -> new HashSet<>(values(invocations(records, fn), true)).size() == total);
        // The update took: later batches gather more than the old limit of 5.
        assertThat(invocations(records, fn)).anySatisfy(inv -> assertThat(records(inv).size()).isGreaterThan(5));

        lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        await("deleted", WAIT, () -> lambda.listEventSourceMappings(r -> r.functionName(fn)).eventSourceMappings().isEmpty());
        int after = invocations(records, fn).size();
        kafka.send(topic, 0, null, "after-delete");
        sleep(1500);
        assertThat(invocations(records, fn)).hasSize(after);
        var expected = new HashSet<String>();
        for (int i = 0; i < total; i++) {
            expected.add("n" + i);
        }
        assertThat(new HashSet<>(values(invocations(records, fn), true))).isEqualTo(expected);
    }

    @Test
    void aRestartedLamina_goesOnFromTheCommittedOffsets() throws Exception {
        String fn = "kafka-node-restart", topic = "restart";
        kafka.createTopic(topic, 1);
        Path dir = java.nio.file.Files.createTempDirectory("lamina-kafka-restart");
        String uuid;
        try (LaminaFixture first = LaminaFixture.startOn(dir)) {
            first.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(KafkaSupport.node())))
                    .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
            uuid = first.lambda().createEventSourceMapping(selfManaged(fn, kafka.bootstrapServers(), topic)
                    .startingPosition(EventSourcePosition.LATEST).build()).uuid();
            awaitState(first.lambda(), uuid, "Enabled");
            awaitAssigned(uuid, topic, 1);
            kafka.send(topic, 0, null, "one");
            await("one", WAIT, () -> values(invocations(records, fn), true).contains("one"));
            await("commit", WAIT, () -> committed(uuid, topic, 0) == 1);
        }
        // Sent while no Lamina runs: the restarted one must not skip them, though its position is LATEST.
        kafka.send(topic, 0, null, "two");
        kafka.send(topic, 0, null, "three");
        try (LaminaFixture second = LaminaFixture.startOn(dir)) {
            await("the records sent while down", WAIT, () -> values(invocations(records, fn), true).size() == 3);
            assertThat(values(invocations(records, fn), true)).containsExactly("one", "two", "three");
            assertThat(second.lambda().getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Enabled");
        }
    }

    private static Message receiveOne(String queueUrl) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(1)).messages();
            if (!got.isEmpty()) {
                return got.get(0);
            }
        }
        throw new AssertionError("no message on " + queueUrl);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
