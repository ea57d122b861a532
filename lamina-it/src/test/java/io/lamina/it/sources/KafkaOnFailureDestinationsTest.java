package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.SourceResources;
import io.lamina.it.LaminaFixture;
import io.lamina.it.S3Server;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.lamina.it.sources.KafkaSupport.JSON;
import static io.lamina.it.sources.KafkaSupport.await;
import static io.lamina.it.sources.KafkaSupport.awaitState;
import static io.lamina.it.sources.KafkaSupport.invocations;
import static io.lamina.it.sources.KafkaSupport.selfManaged;
import static io.lamina.it.sources.KafkaSupport.sleep;
import static io.lamina.it.sources.KafkaSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OnFailure destinations only Kafka mappings have, end to end: an S3 bucket on a real S3 API server
 * (S3Proxy, in this JVM) and a topic of the source's own cluster (the in-process KRaft broker).
 */
class KafkaOnFailureDestinationsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MSK_ARN =
            "arn:aws:kafka:us-east-1:000000000000:cluster/onfailure/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-1";

    private static KafkaBroker kafka;
    private static S3Server s3server;
    private static S3Client s3;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;

    @TempDir
    static Path records;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.start();
        s3server = S3Server.start();
        s3 = s3server.client();
        lamina = LaminaFixture.start(c -> c.withServiceEndpoints(Map.of("s3", s3server.endpoint()))
                .withSources(new SourceResources(Map.of(MSK_ARN, kafka.bootstrapServers()), Map.of())));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() throws Exception {
        lamina.close();
        s3server.close();
        kafka.close();
    }

    @Test
    void aBatchGivenUp_isStoredInTheBucket_withTheWholeEvent_andTheNextRecordsFlow() throws Exception {
        String fn = "kafka-s3-onfailure", topic = "s3-failing", bucket = "kafka-failures";
        kafka.createTopic(topic, 1);
        s3.createBucket(b -> b.bucket(bucket));
        kafka.send(topic, 0, "k", "fail-me");
        function(fn);
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:s3:::" + bucket))));

        S3Object object = awaitOneObject(bucket);
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        String date = day.replace('/', '-');
        assertThat(object.key()).matches("aws/lambda/" + uuid + "/" + topic + "-0/" + day + "/" + date
                + "T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key()));
        assertThat(got.response().contentType()).isEqualTo("application/json");
        JsonNode doc = JSON.readTree(got.asUtf8String());
        assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(doc.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(doc.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(doc.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/" + topic + "-0/firstRecordOffset").asText()).isEqualTo("0");
        // The event the function was invoked with, as an escaped JSON string (AWS's S3 example).
        assertThat(doc.get("payload").isTextual()).isTrue();
        assertThat(doc.at("/KafkaBatchInfo/payloadSize").asInt())
                .isEqualTo(doc.get("payload").asText().getBytes(StandardCharsets.UTF_8).length);
        JsonNode event = JSON.readTree(doc.get("payload").asText());
        assertThat(event.get("eventSource").asText()).isEqualTo("SelfManagedKafka");
        JsonNode record = event.at("/records/" + topic + "-0/0");
        assertThat(decode(record.get("value"))).isEqualTo("fail-me");
        assertThat(decode(record.get("key"))).isEqualTo("k");
        assertThat(invocations(records, fn)).hasSize(2);

        kafka.send(topic, 0, null, "fine");
        await("the next record", WAIT, () -> values(invocations(records, fn), true).contains("fine"));
        await("commit past both", WAIT, () -> committed(uuid, topic) == 2);
    }

    @Test
    void anMskMapping_storesItsBatchInTheBucket_withTheClusterArn_andTheAwsKafkaEvent() throws Exception {
        String fn = "kafka-msk-s3", topic = "msk-s3", bucket = "msk-failures";
        kafka.createTopic(topic, 1);
        s3.createBucket(b -> b.bucket(bucket));
        kafka.send(topic, 0, null, "fail-msk");
        function(fn);
        String uuid = map(CreateEventSourceMappingRequest.builder().functionName(fn).eventSourceArn(MSK_ARN).topics(topic)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:s3:::" + bucket))));

        S3Object object = awaitOneObject(bucket);
        assertThat(object.key()).startsWith("aws/lambda/" + uuid + "/" + topic + "-0/");
        JsonNode doc = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asUtf8String());
        assertThat(doc.at("/KafkaBatchInfo/eventSourceArn").asText()).isEqualTo(MSK_ARN);
        JsonNode event = JSON.readTree(doc.get("payload").asText());
        assertThat(event.get("eventSource").asText()).isEqualTo("aws:kafka");
        assertThat(event.get("eventSourceArn").asText()).isEqualTo(MSK_ARN);
        assertThat(decode(event.at("/records/" + topic + "-0/0/value"))).isEqualTo("fail-msk");
        await("commit past the record", WAIT, () -> committed(uuid, topic) == 1);
    }

    @Test
    void aBucketThatCannotTakeTheRecord_holdsTheBatch_untilItCan() {
        String fn = "kafka-s3-late", topic = "s3-late", bucket = "late-bucket";
        kafka.createTopic(topic, 1);
        kafka.send(topic, 0, null, "fail-me");
        function(fn);
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:s3:::" + bucket))));

        await("the one attempt", WAIT, () -> invocations(records, fn).size() == 1);
        sleep(3000); // PutObject answers NoSuchBucket meanwhile
        assertThat(committed(uuid, topic)).isZero();
        s3.createBucket(b -> b.bucket(bucket));
        S3Object object = awaitOneObject(bucket);
        assertThat(object.key()).startsWith("aws/lambda/" + uuid + "/" + topic + "-0/");
        await("commit past the record", WAIT, () -> committed(uuid, topic) == 1);
        assertThat(invocations(records, fn)).hasSize(1);
    }

    @Test
    void aKafkaTopicDestination_getsEveryFailedRecord_keyedAsBefore_withTheFailureMetadata() throws Exception {
        String fn = "kafka-topic-onfailure", topic = "dlt-source", dlt = "dlt-failed";
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlt, 1);
        kafka.send(topic, 0, "k1", "fail-a");
        kafka.send(topic, 0, "k2", "b");
        function(fn);
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(2).maximumBatchingWindowInSeconds(1).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("kafka://" + dlt))));

        List<ConsumerRecord<byte[], byte[]>> got = kafka.consume(dlt, 2, WAIT);
        assertThat(got).hasSize(2);
        assertThat(got).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("k1", "k2");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JsonNode doc = JSON.readTree(got.get(i).value());
            assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(doc.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
            assertThat(doc.at("/KafkaBatchInfo/bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
            assertThat(doc.at("/KafkaBatchInfo/recordInfo/offset").asText()).isEqualTo(Integer.toString(i));
            // The record itself, as the function's event would carry it alone.
            JsonNode records = doc.at("/payload/records/" + topic + "-0");
            assertThat(records).hasSize(1);
            assertThat(records.get(0).get("offset").asLong()).isEqualTo(i);
            values.add(decode(records.get(0).get("value")));
        }
        assertThat(values).containsExactly("fail-a", "b");
        await("commit past both", WAIT, () -> committed(uuid, topic) == 2);
    }

    @Test
    void onFailureDestinations_areCheckedAtCreateAndUpdate() {
        String fn = "kafka-onfailure-checks", topic = "checked";
        kafka.createTopic(topic, 1);
        function(fn);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(selfManaged(fn, kafka.bootstrapServers(), topic)
                .startingPosition(EventSourcePosition.LATEST)
                .destinationConfig(d -> d.onFailure(o -> o.destination("kafka://" + topic))).build()))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(selfManaged(fn, kafka.bootstrapServers(), topic)
                .startingPosition(EventSourcePosition.LATEST)
                .destinationConfig(d -> d.onFailure(o -> o.destination(
                        "arn:aws:lambda:us-east-1:000000000000:function:" + fn))).build()))
                .isInstanceOf(InvalidParameterValueException.class);
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.LATEST)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:s3:::some-bucket"))));
        assertThatThrownBy(() -> lambda.updateEventSourceMapping(r -> r.uuid(uuid)
                .destinationConfig(d -> d.onFailure(o -> o.destination("kafka://" + topic)))))
                .isInstanceOf(InvalidParameterValueException.class);
        lambda.updateEventSourceMapping(r -> r.uuid(uuid).destinationConfig(d -> d.onFailure(o -> o.destination("kafka://other"))));
        awaitState(lambda, uuid, "Enabled");
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).destinationConfig().onFailure().destination())
                .isEqualTo("kafka://other");
    }

    @Test
    void anEmptyDestination_removesIt_soAFailedBatchIsSkipped() {
        String fn = "kafka-onfailure-removed", topic = "removed", bucket = "never-made";
        kafka.createTopic(topic, 1);
        function(fn);
        String uuid = map(selfManaged(fn, kafka.bootstrapServers(), topic).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("arn:aws:s3:::" + bucket))));
        lambda.updateEventSourceMapping(r -> r.uuid(uuid).destinationConfig(d -> d.onFailure(o -> o.destination(""))));
        awaitState(lambda, uuid, "Enabled");

        kafka.send(topic, 0, null, "fail-me");
        await("the one attempt", WAIT, () -> invocations(records, fn).size() == 1);
        await("commit past the skipped record", WAIT, () -> committed(uuid, topic) == 1);
    }

    private static void function(String name) {
        lamina.create(b -> b.functionName(name).runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(KafkaSupport.node())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
    }

    private static String map(CreateEventSourceMappingRequest.Builder request) {
        String uuid = lambda.createEventSourceMapping(request.build()).uuid();
        awaitState(lambda, uuid, "Enabled");
        return uuid;
    }

    private static long committed(String group, String topic) {
        return kafka.committed(group).getOrDefault(new TopicPartition(topic, 0), -1L);
    }

    private static S3Object awaitOneObject(String bucket) {
        await("an object in " + bucket, WAIT, () -> !s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
        List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(objects).hasSize(1);
        return objects.getFirst();
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }
}
