package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.Filter;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SourceAccessType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static io.lamina.it.sources.Rabbit.await;
import static io.lamina.it.sources.Rabbit.bodies;
import static io.lamina.it.sources.Rabbit.body;
import static io.lamina.it.sources.Rabbit.invocations;
import static io.lamina.it.sources.Rabbit.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Amazon MQ for RabbitMQ mappings end to end: the machine's broker, mappings made with the AWS SDK's
 * LambdaClient, and functions in Java (typed {@code RabbitMQEvent}), Node.js and Python that record
 * what they receive.
 */
class RabbitMappingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LaminaFixture lamina;
    private static LambdaClient lambda;
    private static Rabbit rabbit;

    @TempDir
    Path records;

    @BeforeAll
    static void start() {
        rabbit = new Rabbit();
        lamina = LaminaFixture.start(c -> c.withSources(Rabbit.resources()));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() {
        if (lamina != null) {
            lamina.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
    }

    private String function(Runtime runtime, String handler, byte[] zip) {
        String name = "rmq-" + runtime.toString().replace('.', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        lamina.create(r -> r.functionName(name).runtime(runtime).handler(handler).timeout(30).memorySize(512)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(zip)))
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
        return name;
    }

    private String javaRecorder() {
        return function(Runtime.JAVA21, "io.lamina.testfunctions.RabbitRecordingHandler", Functions.javaWithEvents());
    }

    private String nodeRecorder() {
        return function(Runtime.NODEJS20_X, "index.handler", Rabbit.nodeRecorder());
    }

    private String pythonRecorder() {
        return function(Runtime.PYTHON3_12, "handler.handler", Rabbit.pythonRecorder());
    }

    /** A mapping on {@code queue} with BASIC_AUTH and VIRTUAL_HOST, waited until Enabled. */
    private String map(String function, String queue, Consumer<CreateEventSourceMappingRequest.Builder> more) {
        var b = CreateEventSourceMappingRequest.builder().functionName(function).eventSourceArn(Rabbit.BROKER_ARN)
                .queues(queue).sourceAccessConfigurations(
                        s -> s.type(SourceAccessType.BASIC_AUTH).uri(Rabbit.SECRET_ARN),
                        s -> s.type(SourceAccessType.VIRTUAL_HOST).uri("/"));
        more.accept(b);
        String uuid = lambda.createEventSourceMapping(b.build()).uuid();
        awaitState(uuid, "Enabled");
        return uuid;
    }

    /** What the poller last recorded, as GetEventSourceMapping shows it (AWS documents it for every mapping). */
    private static String lastProcessingResult(String uuid) {
        return lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult();
    }

    /**
     * Once the mapping is gone its consumer is closed, and the broker would have put back anything it left
     * unacked: an empty queue then means every message was acked.
     */
    private static void assertAcked(String queue) {
        Rabbit.sleep(200);
        assertThat(rabbit.ready(queue)).as("messages left on " + queue).isZero();
    }

    private void awaitState(String uuid, String state) {
        await("mapping " + uuid + " " + state, WAIT,
                () -> state.equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()));
    }

    private void delete(String uuid) {
        lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        await("mapping " + uuid + " gone", WAIT, () -> {
            try {
                lambda.getEventSourceMapping(r -> r.uuid(uuid));
                return false;
            } catch (ResourceNotFoundException e) {
                return true;
            }
        });
    }

    @Test
    void javaTypedEvent_carriesEveryFieldOfTheMessage() {
        String queue = rabbit.queue("rmq-java");
        String fn = javaRecorder();
        var headers = new LinkedHashMap<String, Object>();
        headers.put("text", LongStringHelper.asLongString("value1"));
        headers.put("count", 10);
        headers.put("flag", true);
        Date sent = new Date(1_700_000_000_000L);
        var props = new AMQP.BasicProperties.Builder().contentType("application/json").contentEncoding("utf-8")
                .headers(headers).deliveryMode(2).priority(5).correlationId("corr-1").replyTo("replies")
                .expiration("60000").messageId("msg-1").timestamp(sent).type("order.created").userId("guest")
                .appId("lamina-it").clusterId("cluster-a").build();
        String body = "{\"order\":42}";
        rabbit.publish(queue, props, body);
        String uuid = map(fn, queue, b -> b.batchSize(10));

        await("the Java function ran", WAIT, () -> !invocations(records).isEmpty());
        JsonNode inv = invocations(records).getFirst();
        assertThat(inv.get("eventSource").asText()).isEqualTo("aws:rmq");
        assertThat(inv.get("eventSourceArn").asText()).isEqualTo(Rabbit.BROKER_ARN);
        assertThat(fieldNames(inv.get("rmqMessagesByQueue"))).containsExactly(queue + "::/");
        JsonNode m = inv.get("rmqMessagesByQueue").get(queue + "::/").get(0);
        JsonNode p = m.get("basicProperties");
        assertThat(p.get("contentType").asText()).isEqualTo("application/json");
        assertThat(p.get("contentEncoding").asText()).isEqualTo("utf-8");
        // A LongString header reaches a Java function as a map holding its bytes, as on AWS.
        assertThat(p.at("/headers/text/bytes").toString()).isEqualTo(bytes("value1"));
        assertThat(p.at("/headers/count").asInt()).isEqualTo(10);
        assertThat(p.at("/headers/flag").asBoolean()).isTrue();
        assertThat(p.get("deliveryMode").asInt()).isEqualTo(2);
        assertThat(p.get("priority").asInt()).isEqualTo(5);
        assertThat(p.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(p.get("replyTo").asText()).isEqualTo("replies");
        assertThat(p.get("expiration").asInt()).isEqualTo(60000);
        assertThat(p.get("messageId").asText()).isEqualTo("msg-1");
        assertThat(p.get("timestamp").asText()).isEqualTo(DateTimeFormatter
                .ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC).format(sent.toInstant()));
        assertThat(p.get("type").asText()).isEqualTo("order.created");
        assertThat(p.get("userId").asText()).isEqualTo("guest");
        assertThat(p.get("appId").asText()).isEqualTo("lamina-it");
        assertThat(p.get("clusterId").asText()).isEqualTo("cluster-a");
        assertThat(p.get("bodySize").asInt()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        assertThat(m.get("redelivered").asBoolean()).isFalse();
        assertThat(m.get("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));

        await("the mapping records success", WAIT, () -> "OK".equals(lastProcessingResult(uuid)));
        delete(uuid);
        assertAcked(queue);
    }

    @Test
    void node_batchSizeBoundsEachEvent_andEveryMessageArrivesOnceInQueueOrder() {
        String queue = rabbit.queue("rmq-node-batch");
        rabbit.publishAll(queue, IntStream.range(0, 35).mapToObj(i -> "m" + i).toList());
        String fn = nodeRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(10));

        await("35 messages processed", WAIT, () -> bodies(records).size() >= 35);
        List<JsonNode> invs = invocations(records);
        assertThat(invs).allSatisfy(i -> assertThat(messages(i)).hasSizeBetween(1, 10));
        assertThat(invs.size()).isGreaterThanOrEqualTo(4);
        assertThat(bodies(records)).containsExactlyElementsOf(IntStream.range(0, 35).mapToObj(i -> "m" + i).toList());
        JsonNode first = invs.getFirst();
        assertThat(first.get("eventSource").asText()).isEqualTo("aws:rmq");
        assertThat(messages(first).getFirst().get("basicProperties").get("contentType").asText()).isEqualTo("text/plain");
        // Unset properties arrive as JSON nulls, as AWS writes them.
        assertThat(messages(first).getFirst().get("basicProperties").get("messageId").isNull()).isTrue();
        delete(uuid);
        assertAcked(queue);
    }

    @Test
    void python_batchingWindowGathersMessagesPublishedApart_intoOneEvent() {
        String queue = rabbit.queue("rmq-python-window");
        String fn = pythonRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(100).maximumBatchingWindowInSeconds(2));

        for (int i = 0; i < 4; i++) {
            rabbit.publish(queue, "w" + i);
            Rabbit.sleep(200);
        }
        await("4 messages processed", WAIT, () -> bodies(records).size() >= 4);
        List<JsonNode> invs = invocations(records);
        assertThat(invs).hasSize(1);
        assertThat(bodies(records)).containsExactly("w0", "w1", "w2", "w3");
        assertThat(invs.getFirst().get("rmqMessagesByQueue").has(queue + "::/")).isTrue();
        delete(uuid);
    }

    @Test
    void node_withoutAWindowOfItsOwn_usesMqDefaultOfHalfASecond() {
        String queue = rabbit.queue("rmq-node-default-window");
        String fn = nodeRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(100));
        var mapping = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        // Lambda does not report the 500 ms default for Amazon MQ.
        assertThat(mapping.maximumBatchingWindowInSeconds()).isNull();

        rabbit.publish(queue, "d0");
        // Well inside the 500 ms the first message opens.
        Rabbit.sleep(100);
        rabbit.publish(queue, "d1");
        await("2 messages processed", WAIT, () -> bodies(records).size() >= 2);
        assertThat(invocations(records)).hasSize(1);
        delete(uuid);
    }

    @Test
    void largeMessages_areSplitIntoEventsWithinLambdas6MbPayloadLimit_andAllArrive() {
        String queue = rabbit.queue("rmq-large");
        String fn = nodeRecorder();
        // 1 MB bodies: 1.33 MB each once base64-encoded, so four fit in 6 MB and a batch of ten cannot.
        var bodies = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            bodies.add(i + "-" + "x".repeat(1 << 20));
        }
        rabbit.publishAll(queue, bodies);
        String uuid = map(fn, queue, b -> b.batchSize(10));

        await("10 large messages processed", WAIT, () -> bodies(records).size() >= 10);
        assertThat(bodies(records)).containsExactlyElementsOf(bodies);
        List<JsonNode> invs = invocations(records);
        assertThat(invs.size()).isGreaterThanOrEqualTo(3);
        assertThat(invs).allSatisfy(i -> assertThat(i.toString().length()).isLessThan(6 * 1024 * 1024));
        delete(uuid);
        assertAcked(queue);
    }

    @Test
    void filterCriteria_onTheDecodedData_invokeOnlyForMatches_andAckTheRest() {
        String queue = rabbit.queue("rmq-filter");
        String fn = pythonRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(10).maximumBatchingWindowInSeconds(1)
                .filterCriteria(f -> f.filters(Filter.builder().pattern("{\"data\":{\"kind\":[\"keep\"]}}").build())));

        rabbit.publishAll(queue, List.of("{\"kind\":\"drop\",\"n\":1}", "{\"kind\":\"keep\",\"n\":2}",
                "plain text", "{\"kind\":\"keep\",\"n\":4}"));
        await("the kept messages processed", WAIT, () -> bodies(records).size() >= 2);
        // Filtered-out messages are acked, not left on the broker.
        await("nothing left on the queue", WAIT, () -> rabbit.ready(queue) == 0);
        Rabbit.sleep(700);
        assertThat(bodies(records)).containsExactly("{\"kind\":\"keep\",\"n\":2}", "{\"kind\":\"keep\",\"n\":4}");
        delete(uuid);
        assertAcked(queue);
    }

    @Test
    void functionError_nacksWithRequeue_andTheRedeliveredMessageSucceeds() {
        String queue = rabbit.queue("rmq-requeue");
        String fn = nodeRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(10).maximumBatchingWindowInSeconds(0));

        rabbit.publish(queue, "once-1");
        await("processed after a redelivery", WAIT, () -> invocations(records).size() >= 2
                && rabbit.ready(queue) == 0);
        List<JsonNode> invs = invocations(records);
        assertThat(invs).hasSize(2);
        assertThat(messages(invs.get(0)).getFirst().get("redelivered").asBoolean()).isFalse();
        assertThat(messages(invs.get(1)).getFirst().get("redelivered").asBoolean()).isTrue();
        assertThat(body(messages(invs.get(1)).getFirst())).isEqualTo("once-1");
        Rabbit.sleep(500);
        assertThat(invocations(records)).hasSize(2);
        await("the mapping records success", WAIT, () -> "OK".equals(lastProcessingResult(uuid)));
        delete(uuid);
        assertAcked(queue);
    }

    @Test
    void failingMessage_isRedeliveredUntilTheQuorumQueuesDeliveryLimit_thenTheBrokerDeadLettersIt() {
        String dlq = rabbit.queue("rmq-dlq");
        String queue = rabbit.queue("rmq-quorum", true, Map.of("x-queue-type", "quorum", "x-delivery-limit", 2,
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", dlq));
        String fn = javaRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(10).maximumBatchingWindowInSeconds(0));

        rabbit.publish(queue, "fail-poison");
        await("the broker dead-letters the message", WAIT, () -> rabbit.ready(dlq) == 1);
        assertThat(rabbit.get(dlq)).isEqualTo("fail-poison");
        List<JsonNode> invs = invocations(records);
        // The first delivery and one per requeue the delivery limit allows.
        assertThat(invs).hasSize(3);
        assertThat(invs).extracting(i -> messages(i).getFirst().get("redelivered").asBoolean())
                .containsExactly(false, true, true);
        assertThat(lastProcessingResult(uuid))
                .isEqualTo("PROBLEM: Function call failed");

        // The mapping goes on with the messages behind it.
        rabbit.publish(queue, "fine");
        await("the next message processed", WAIT, () -> bodies(records).contains("fine"));
        await("the mapping reports success again", WAIT,
                () -> "OK".equals(lastProcessingResult(uuid)));
        delete(uuid);
    }

    @Test
    void disableEnableUpdateDelete_whileMessagesFlow_loseNothing() {
        String queue = rabbit.queue("rmq-lifecycle");
        String fn = nodeRecorder();
        String uuid = map(fn, queue, b -> b.batchSize(10).maximumBatchingWindowInSeconds(0));
        var published = new AtomicInteger();
        var publishing = new AtomicBoolean(true);
        Thread publisher = Thread.ofVirtual().start(() -> {
            while (publishing.get()) {
                rabbit.publish(queue, "t" + published.getAndIncrement());
                Rabbit.sleep(10);
            }
        });
        try {
            await("traffic processed", WAIT, () -> bodies(records).size() >= 20);

            lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false));
            awaitState(uuid, "Disabled");
            Rabbit.sleep(500);
            int seenWhenDisabled = bodies(records).size();
            Rabbit.sleep(1500);
            assertThat(bodies(records)).hasSize(seenWhenDisabled);
            assertThat(rabbit.ready(queue)).as("messages wait on the broker while disabled").isPositive();

            lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
            awaitState(uuid, "Enabled");
            await("processing resumes", WAIT, () -> bodies(records).size() > seenWhenDisabled + 20);

            lambda.updateEventSourceMapping(r -> r.uuid(uuid).batchSize(50).maximumBatchingWindowInSeconds(1));
            awaitState(uuid, "Enabled");
            int before = invocations(records).size();
            rabbit.publishAll(queue, IntStream.range(0, 60).mapToObj(i -> "burst" + i).toList());
            await("the burst processed", WAIT, () -> bodies(records).containsAll(
                    IntStream.range(0, 60).mapToObj(i -> "burst" + i).toList()));
            List<JsonNode> after = invocations(records).subList(before, invocations(records).size());
            assertThat(after).as("the new batch size applies").anySatisfy(i -> assertThat(messages(i).size()).isGreaterThan(10));
            assertThat(after).allSatisfy(i -> assertThat(messages(i).size()).isLessThanOrEqualTo(50));
        } finally {
            publishing.set(false);
        }
        try {
            publisher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int total = published.get();
        await("every published message processed", WAIT, () -> bodies(records).containsAll(
                IntStream.range(0, total).mapToObj(i -> "t" + i).toList()));
        var counts = new HashMap<String, Integer>();
        bodies(records).forEach(b -> counts.merge(b, 1, Integer::sum));
        long duplicates = counts.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf("rmq lifecycle: %d published while disabling/enabling/updating, %d duplicates%n", total, duplicates);
        assertThat(duplicates).as("a clean disable hands back unrun messages; none ran twice").isZero();

        delete(uuid);
        rabbit.publishAll(queue, List.of("late1", "late2"));
        Rabbit.sleep(1500);
        assertThat(bodies(records)).doesNotContain("late1", "late2");
        assertThat(rabbit.ready(queue)).isEqualTo(2);
    }

    @Test
    void mapping_resumesAfterLaminaRestarts_withMessagesPublishedWhileItWasDown(@TempDir Path data) throws Exception {
        String queue = rabbit.queue("rmq-restart");
        var first = LaminaFixture.startOn(data, c -> c.withSources(Rabbit.resources()));
        LaminaFixture second = null;
        try {
            first.create(r -> r.functionName("rmq-restart").runtime(Runtime.NODEJS20_X).handler("index.handler")
                    .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Rabbit.nodeRecorder())))
                    .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
            String uuid = first.lambda().createEventSourceMapping(r -> r.functionName("rmq-restart")
                    .eventSourceArn(Rabbit.BROKER_ARN).queues(queue).batchSize(10).maximumBatchingWindowInSeconds(0)
                    .sourceAccessConfigurations(s -> s.type(SourceAccessType.BASIC_AUTH).uri(Rabbit.SECRET_ARN))).uuid();
            rabbit.publish(queue, "before");
            await("processed before the restart", WAIT, () -> bodies(records).contains("before"));
            first.close();
            first = null;

            rabbit.publishAll(queue, List.of("down1", "down2", "down3"));
            Rabbit.sleep(300);
            assertThat(bodies(records)).containsExactly("before");

            second = LaminaFixture.startOn(data, c -> c.withSources(Rabbit.resources()));
            await("processed after the restart", WAIT, () -> bodies(records).containsAll(List.of("down1", "down2", "down3")));
            assertThat(bodies(records)).containsExactly("before", "down1", "down2", "down3");
            assertThat(second.lambda().getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Enabled");
            second.lambda().deleteEventSourceMapping(r -> r.uuid(uuid));
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void mapping_onABrokerLaminaDoesNotKnow_reportsAConnectionProblem_andHoldsNoSecretInIt() {
        String fn = nodeRecorder();
        String unknown = "arn:aws:mq:us-east-1:000000000000:broker:nowhere:b-00000000-0000-0000-0000-000000000000";
        String uuid = lambda.createEventSourceMapping(r -> r.functionName(fn).eventSourceArn(unknown).queues("q")
                .sourceAccessConfigurations(s -> s.type(SourceAccessType.BASIC_AUTH).uri(Rabbit.SECRET_ARN))).uuid();
        await("the problem is reported", WAIT, () -> lastProcessingResult(uuid).startsWith("PROBLEM: Connection error"));
        var m = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        assertThat(m.toString()).doesNotContain("guest");
        delete(uuid);
        assertThatThrownBy(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid))).isInstanceOf(ResourceNotFoundException.class);
    }

    private static String bytes(String s) {
        var out = new ArrayList<String>();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.add(Byte.toString(b));
        }
        return "[" + String.join(",", out) + "]";
    }

    private static List<String> fieldNames(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
