package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.destinations.DeadLetter;
import io.lamina.core.destinations.DeliveryException;
import io.lamina.core.destinations.DestinationRecord;
import io.lamina.core.destinations.Destinations;
import io.lamina.core.sources.FailureContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a Kafka batch given up becomes at each kind of OnFailure destination. */
class KafkaFailureDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /** A fixed clock stands for the poller's: the time the batch was given up. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2019-11-14T00:38:06.021Z"), ZoneOffset.UTC);
    private static final FailureContext CTX = new FailureContext("arn:aws:lambda:us-east-1:000000000000:event-source-mapping:m",
            "arn:aws:lambda:us-east-1:000000000000:function:f", "RetryAttemptsExhausted", 2,
            Optional.of("Unhandled"), Optional.of("Error"), 200, "$LATEST", CLOCK.millis());
    private static final KafkaEvents.Origin ORIGIN = KafkaEvents.Origin.selfManaged("h:1");

    private final RecordingDestinations destinations = new RecordingDestinations();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final KafkaSource source = new KafkaSource(new MockConsumer<>("earliest"), List.of("orders"), ORIGIN,
            new KafkaSource.Start.TrimHorizon(), "esm-uuid", () -> producer);

    private final List<ConsumerRecord<byte[], byte[]>> batch = List.of(
            KafkaEventsTest.record("orders", 2, 10, 1573691884835L, "k1".getBytes(), "a".getBytes(), new RecordHeaders()),
            KafkaEventsTest.record("orders", 2, 11, 1573691885580L, null, "b".getBytes(), new RecordHeaders()));

    @Test
    void s3ObjectKey_followsLambdasNamingConvention_inUtc() {
        assertThat(KafkaEvents.s3ObjectKey("esm-uuid", "orders-2", CLOCK.instant(), "r-u-u-i-d"))
                .isEqualTo("aws/lambda/esm-uuid/orders-2/2019/11/14/2019-11-14T00.38.06-r-u-u-i-d");
    }

    @Test
    void s3Destination_getsOneObjectPerBatch_keyedByMappingPartitionAndTime_withTheEventAsAnEscapedString()
            throws Exception {
        source.failureDelivery(batch, CTX, "arn:aws:s3:::failures", destinations).run();

        assertThat(destinations.puts).hasSize(1);
        String[] put = destinations.puts.getFirst();
        assertThat(put[0]).isEqualTo("arn:aws:s3:::failures");
        assertThat(put[1]).matches("aws/lambda/esm-uuid/orders-2/2019/11/14/2019-11-14T00\\.38\\.06-" + UUID_PATTERN);
        JsonNode doc = JSON.readTree(put[2]);
        assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(doc.at("/timestamp").asText()).isEqualTo("2019-11-14T00:38:06.021Z");
        assertThat(doc.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/orders-2/lastRecordOffset").asText()).isEqualTo("11");
        String event = new String(KafkaEvents.event(batch, ORIGIN), StandardCharsets.UTF_8);
        assertThat(doc.get("payload").isTextual()).isTrue();
        assertThat(doc.get("payload").asText()).isEqualTo(event);
        assertThat(doc.at("/KafkaBatchInfo/payloadSize").asInt()).isEqualTo(event.getBytes(StandardCharsets.UTF_8).length);
        assertThat(destinations.documents).isEmpty();
    }

    @Test
    void sqsAndSnsDestinations_getTheMetadataDocument_withoutThePayload() throws Exception {
        source.failureDelivery(batch, CTX, "arn:aws:sqs:us-east-1:000000000000:q", destinations).run();

        assertThat(destinations.documents).hasSize(1);
        JsonNode doc = JSON.readTree(destinations.documents.getFirst()[1]);
        assertThat(doc.has("payload")).isFalse();
        assertThat(doc.at("/KafkaBatchInfo/recordsInfo/orders-2/firstRecordOffset").asText()).isEqualTo("10");
        assertThat(destinations.puts).isEmpty();
    }

    @Test
    void kafkaTopicDestination_getsOneMessagePerRecord_withItsKey_itsOffsetAndTheRecordAsAnEvent() throws Exception {
        source.failureDelivery(batch, CTX, "kafka://orders-dlt", destinations).run();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(ProducerRecord::topic).containsOnly("orders-dlt");
        assertThat(new String(sent.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k1");
        assertThat(sent.get(1).key()).isNull();
        JsonNode first = JSON.readTree(sent.get(0).value());
        JsonNode second = JSON.readTree(sent.get(1).value());
        assertThat(first.at("/requestContext/requestId").asText()).isEqualTo(second.at("/requestContext/requestId").asText());
        assertThat(first.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(first.at("/version").asText()).isEqualTo("1.0");
        assertThat(first.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(first.at("/KafkaBatchInfo/bootstrapServers").asText()).isEqualTo("h:1");
        assertThat(first.at("/KafkaBatchInfo").has("eventSourceArn")).isFalse();
        assertThat(first.at("/KafkaBatchInfo/recordInfo/offset").asText()).isEqualTo("10");
        assertThat(first.at("/KafkaBatchInfo/recordInfo/timestamp").asText()).isEqualTo("2019-11-14T00:38:04.835Z");
        assertThat(second.at("/KafkaBatchInfo/recordInfo/offset").asText()).isEqualTo("11");
        // The payload is the event of that record alone, an object (not a string as in S3).
        assertThat(first.at("/payload/eventSource").asText()).isEqualTo("SelfManagedKafka");
        JsonNode records = first.at("/payload/records/orders-2");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("offset").asLong()).isEqualTo(10);
        assertThat(Base64.getDecoder().decode(records.get(0).get("value").asText())).isEqualTo("a".getBytes());
        assertThat(destinations.documents).isEmpty();
        assertThat(destinations.puts).isEmpty();
    }

    @Test
    void kafkaTopicDestination_thatRefusesTheRecords_isADeliveryException_soThePollerTriesAgain() {
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(new org.apache.kafka.common.errors.TopicAuthorizationException("denied"))) {
                    // fail every send so far
                }
            }
        };
        KafkaSource failing = new KafkaSource(new MockConsumer<>("earliest"), List.of("orders"), ORIGIN,
                new KafkaSource.Start.TrimHorizon(), "esm-uuid", () -> refusing);

        Runnable delivery = failing.failureDelivery(batch, CTX, "kafka://orders-dlt", destinations);

        assertThatThrownBy(delivery::run).isInstanceOf(DeliveryException.class)
                .hasMessageContaining("Kafka produce to orders-dlt failed").hasMessageContaining("denied");
    }

    @Test
    void theTopicProducer_connectsAsTheConsumerDoes_andNothingOfTheConsumerGroupCarriesOver() {
        var consumer = new java.util.Properties();
        consumer.put("bootstrap.servers", "b:9096");
        consumer.put("security.protocol", "SASL_SSL");
        consumer.put("sasl.mechanism", "SCRAM-SHA-512");
        consumer.put("sasl.jaas.config", "x");
        consumer.put("ssl.truststore.type", "PEM");
        consumer.put("group.id", "g");
        consumer.put("max.poll.records", "10");

        var p = KafkaSourceFactory.producerProperties(consumer, "esm-uuid");

        assertThat(p).containsEntry("bootstrap.servers", "b:9096").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", "x")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("acks", "all")
                .containsEntry("client.id", "lamina-esm-uuid-onfailure")
                .doesNotContainKeys("group.id", "max.poll.records");
    }

    /** Keeps what the source hands to the destinations. */
    private static final class RecordingDestinations implements Destinations {
        final List<String[]> documents = new ArrayList<>();
        final List<String[]> puts = new ArrayList<>();

        @Override
        public void deliver(String destinationArn, DestinationRecord record) {
            throw new AssertionError("not for event source mappings");
        }

        @Override
        public void sendDocument(String destinationArn, String json) {
            documents.add(new String[]{destinationArn, json});
        }

        @Override
        public void putDocument(String bucketArn, String key, String json) {
            puts.add(new String[]{bucketArn, key, json});
        }

        @Override
        public void deadLetter(String targetArn, DeadLetter letter) {
            throw new AssertionError("not for event source mappings");
        }

        @Override
        public void close() {
        }
    }
}
