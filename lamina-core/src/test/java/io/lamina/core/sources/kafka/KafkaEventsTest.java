package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.sources.FailureContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER =
            "arn:aws:kafka:us-west-2:012345678901:cluster/ExampleMSKCluster/e9f754c6-d29a-4430-a7db-958a19fd2c54-4";
    private static final String SERVERS = "b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092,"
            + "b-1.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092";

    static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long ts, byte[] key,
                                                 byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, ts, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }

    /** The record AWS's sample MSK event was made from, as a consumer would receive it. */
    private static ConsumerRecord<byte[], byte[]> goldenRecord() {
        byte[] text = "8d5596b4-1813-4238-b24b-6dad8e3d1c0c".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("headerKey", new byte[]{118, -36, 0, 127, -128});
        return record("AWSKafkaTopic", 0, 0, 1595035749700L, text, text, headers);
    }

    @Test
    void event_fromAConsumedRecord_isAwsSampleMskEvent() throws Exception {
        JsonNode golden = JSON.readTree(Path.of(System.getProperty("lamina.golden.events"), "kafka-event.json").toFile());
        // Read back as a function would: numbers compare by value, not by the Java type that wrote them.
        JsonNode built = JSON.readTree(KafkaEvents.event(List.of(goldenRecord()),
                KafkaEvents.Origin.msk(CLUSTER, SERVERS)));
        assertThat(built).isEqualTo(golden);
        // Same member order as AWS writes, not just the same members.
        assertThat(JSON.writeValueAsString(built)).isEqualTo(JSON.writeValueAsString(golden));
    }

    @Test
    void event_selfManaged_saysSelfManagedKafka_andHasNoArn() throws Exception {
        JsonNode built = JSON.readTree(KafkaEvents.event(List.of(goldenRecord()),
                KafkaEvents.Origin.selfManaged("localhost:9092")));
        assertThat(built.get("eventSource").asText()).isEqualTo("SelfManagedKafka");
        assertThat(built.has("eventSourceArn")).isFalse();
        assertThat(built.get("bootstrapServers").asText()).isEqualTo("localhost:9092");
    }

    @Test
    void event_groupsRecordsByTopicPartition_inOffsetOrder_andLeavesOutNullKeysAndValues() throws Exception {
        var a0 = record("t", 0, 5, 1, null, "x".getBytes(), new RecordHeaders());
        var b1 = record("t", 1, 7, 2, "k".getBytes(), null, new RecordHeaders());
        var a1 = record("t", 0, 6, 3, null, "y".getBytes(), new RecordHeaders());
        JsonNode e = JSON.readTree(KafkaEvents.event(List.of(a0, b1, a1), KafkaEvents.Origin.selfManaged("h:1")));
        assertThat(e.get("records").fieldNames()).toIterable().containsExactly("t-0", "t-1");
        assertThat(e.at("/records/t-0/0/offset").asLong()).isEqualTo(5);
        assertThat(e.at("/records/t-0/1/offset").asLong()).isEqualTo(6);
        assertThat(e.at("/records/t-0/0").has("key")).isFalse();
        assertThat(e.at("/records/t-1/0").has("value")).isFalse();
        assertThat(e.at("/records/t-1/0/key").asText()).isEqualTo("aw==");
    }

    @Test
    void record_isTheRecordAsItStandsInTheEvent() throws Exception {
        var r = goldenRecord();
        JsonNode event = JSON.readTree(KafkaEvents.event(List.of(r), KafkaEvents.Origin.selfManaged("h:1")));
        assertThat(JSON.readTree(KafkaEvents.record(r))).isEqualTo(event.at("/records/AWSKafkaTopic-0/0"));
    }

    @Test
    void failureRecord_describesEachPartitionsOffsetsAndTimestamps_asLambdaDocumentsIt() {
        var r1 = record("orders", 2, 10, 1573691884835L, null, "a".getBytes(), new RecordHeaders());
        var r2 = record("orders", 2, 11, 1573691885580L, null, "b".getBytes(), new RecordHeaders());
        var ctx = new FailureContext("esm-arn", "arn:aws:lambda:us-east-1:000000000000:function:f",
                "RetryAttemptsExhausted", 3, Optional.of("Unhandled"), Optional.of("Error"), 200, "$LATEST",
                1573691886021L);
        JsonNode doc = KafkaEvents.failureRecord(List.of(r1, r2), KafkaEvents.Origin.msk(CLUSTER, SERVERS), 1234, ctx, "req");
        assertThat(doc.at("/requestContext/requestId").asText()).isEqualTo("req");
        assertThat(doc.at("/requestContext/functionArn").asText()).isEqualTo(ctx.functionArn());
        assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(doc.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(doc.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(doc.at("/responseContext/executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(doc.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(doc.at("/version").asText()).isEqualTo("1.0");
        assertThat(doc.at("/timestamp").asText()).isEqualTo("2019-11-14T00:38:06.021Z");
        assertThat(doc.at("/KafkaBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(doc.at("/KafkaBatchInfo/eventSourceArn").asText()).isEqualTo(CLUSTER);
        assertThat(doc.at("/KafkaBatchInfo/bootstrapServers").asText()).isEqualTo(SERVERS);
        assertThat(doc.at("/KafkaBatchInfo/payloadSize").asInt()).isEqualTo(1234);
        JsonNode p = doc.at("/KafkaBatchInfo/recordsInfo/orders-2");
        assertThat(p.get("firstRecordOffset").asText()).isEqualTo("10");
        assertThat(p.get("lastRecordOffset").asText()).isEqualTo("11");
        assertThat(p.get("firstRecordTimestamp").asText()).isEqualTo("2019-11-14T00:38:04.835Z");
        assertThat(p.get("lastRecordTimestamp").asText()).isEqualTo("2019-11-14T00:38:05.580Z");
    }

    @Test
    void event_escapesStringsAsJsonDoes_andWritesNonAsciiAsUtf8() throws Exception {
        String odd = "q\"b\\n\nt\tc\u0001 é € \uD83D\uDE00";
        RecordHeaders headers = new RecordHeaders();
        headers.add(odd, new byte[]{-128, 0, 127});
        headers.add("none", null);
        var r = record("t", 3, Long.MAX_VALUE, -1, new byte[]{1, 2}, new byte[0], headers);
        byte[] event = KafkaEvents.event(List.of(r), KafkaEvents.Origin.msk("arn:\"x\"", "h:1,h:2"));
        JsonNode e = JSON.readTree(event);
        assertThat(e.get("eventSourceArn").asText()).isEqualTo("arn:\"x\"");
        JsonNode rec = e.at("/records/t-3/0");
        assertThat(rec.get("offset").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(rec.get("timestamp").asLong()).isEqualTo(-1);
        assertThat(rec.get("key").asText()).isEqualTo("AQI=");
        assertThat(rec.get("value").asText()).isEmpty();
        assertThat(rec.at("/headers/0").fieldNames().next()).isEqualTo(odd);
        assertThat(rec.at("/headers/0").get(odd).toString()).isEqualTo("[-128,0,127]");
        assertThat(rec.at("/headers/1/none").toString()).isEqualTo("[]");
        // What Jackson writes for the same record, byte for byte.
        assertThat(KafkaEvents.record(r)).isEqualTo(JSON.writeValueAsString(JSON.readTree(KafkaEvents.record(r))));
    }

    @Test
    void event_isExactlyWhatJacksonWritesForTheSameDocument_acrossPartitionsTopicsAndRecordShapes() throws Exception {
        RecordHeaders h = new RecordHeaders();
        h.add("trace", new byte[]{1, -1, 42});
        var batch = List.of(
                record("orders", 0, 0, 1_573_692_284_835L, "k".getBytes(StandardCharsets.UTF_8), new byte[100], h),
                record("orders", 0, 1, 1_573_692_284_836L, null, "v1".getBytes(StandardCharsets.UTF_8), new RecordHeaders()),
                record("t\"é", 7, 123_456_789_012L, 0, new byte[]{0}, null, new RecordHeaders()),
                record("orders", 0, 2, -1, new byte[]{1, 2, 3, 4}, new byte[]{5}, new RecordHeaders()),
                record("orders", 12, 9, 5, new byte[0], new byte[2], h));
        byte[] event = KafkaEvents.event(batch, KafkaEvents.Origin.selfManaged("a:1,b:2"));
        assertThat(new String(event, StandardCharsets.UTF_8))
                .isEqualTo(JSON.writeValueAsString(JSON.readTree(event)));
        JsonNode e = JSON.readTree(event);
        assertThat(e.at("/records/orders-0").size()).isEqualTo(3);
        assertThat(e.at("/records/orders-0/2/offset").asLong()).isEqualTo(2);
        assertThat(e.at("/records/t\"é-7/0/topic").asText()).isEqualTo("t\"é");
        assertThat(e.at("/records/orders-12/0/headers/0/trace").toString()).isEqualTo("[1,-1,42]");
        for (var r : batch) {
            assertThat(KafkaEvents.record(r)).isEqualTo(JSON.writeValueAsString(JSON.readTree(KafkaEvents.record(r))));
        }
    }
}
