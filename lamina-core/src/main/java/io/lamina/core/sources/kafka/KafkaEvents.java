package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka event Lambda sends for a batch (AWS's sample MSK event, and
 * https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html, .../with-kafka.html):
 * {@code eventSource} is {@code aws:kafka} for Amazon MSK and {@code SelfManagedKafka} for a self-managed
 * cluster; {@code eventSourceArn} only for MSK; {@code bootstrapServers} comma-separated; {@code records}
 * keyed {@code "<topic>-<partition>"}, each record with its key and value base64-encoded (left out when
 * null) and its headers as a list of one-entry objects whose value is the header's bytes as signed numbers
 * (Java's {@code byte}), which is how {@code KafkaEvent} from aws-lambda-java-events reads them.
 */
public final class KafkaEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String MSK_SOURCE = "aws:kafka";
    public static final String SELF_MANAGED_SOURCE = "SelfManagedKafka";
    /** Lambda writes failure-record timestamps with milliseconds, always three digits. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private KafkaEvents() {
    }

    /** Where a batch came from: the event's envelope. */
    public record Origin(String eventSource, Optional<String> eventSourceArn, String bootstrapServers) {
        public static Origin msk(String clusterArn, String bootstrapServers) {
            return new Origin(MSK_SOURCE, Optional.of(clusterArn), bootstrapServers);
        }

        public static Origin selfManaged(String bootstrapServers) {
            return new Origin(SELF_MANAGED_SOURCE, Optional.empty(), bootstrapServers);
        }
    }

    /** The {@code records} key of a record: its topic and partition joined by a hyphen. */
    public static String partitionKey(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** The whole event; records of one partition keep their order, partitions in order of first appearance. */
    public static ObjectNode event(List<ConsumerRecord<byte[], byte[]>> batch, Origin origin) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventSource", origin.eventSource());
        origin.eventSourceArn().ifPresent(arn -> event.put("eventSourceArn", arn));
        event.put("bootstrapServers", origin.bootstrapServers());
        ObjectNode records = event.putObject("records");
        Map<String, ArrayNode> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            byPartition.computeIfAbsent(partitionKey(r.topic(), r.partition()), records::putArray).add(record(r));
        }
        return event;
    }

    /** One record, as Lambda writes it. */
    public static ObjectNode record(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("topic", r.topic());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        o.put("timestamp", r.timestamp());
        o.put("timestampType", r.timestampType().name());
        if (r.key() != null) {
            o.put("key", Base64.getEncoder().encodeToString(r.key()));
        }
        if (r.value() != null) {
            o.put("value", Base64.getEncoder().encodeToString(r.value()));
        }
        ArrayNode headers = o.putArray("headers");
        for (Header h : r.headers()) {
            ArrayNode bytes = headers.addObject().putArray(h.key());
            if (h.value() != null) {
                for (byte b : h.value()) {
                    bytes.add(b);
                }
            }
        }
        return o;
    }

    /**
     * The document Lambda sends to an SQS or SNS OnFailure destination for a Kafka batch given up
     * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html): request and response context,
     * then {@code KafkaBatchInfo} with the batch size, the event's size and, per topic-partition, the first
     * and last offsets (as strings) and timestamps (ISO-8601).
     */
    public static ObjectNode failureRecord(List<ConsumerRecord<byte[], byte[]>> batch, Origin origin, int payloadSize,
                                           io.lamina.core.sources.FailureContext ctx, String requestId) {
        ObjectNode doc = JSON.createObjectNode();
        ObjectNode request = doc.putObject("requestContext");
        request.put("requestId", requestId);
        request.put("functionArn", ctx.functionArn());
        request.put("condition", ctx.condition());
        request.put("approximateInvokeCount", ctx.approximateInvokeCount());
        ObjectNode response = doc.putObject("responseContext");
        response.put("statusCode", ctx.statusCode());
        response.put("executedVersion", ctx.executedVersion());
        ctx.functionError().ifPresent(e -> response.put("functionError", e));
        doc.put("version", "1.0");
        doc.put("timestamp", MILLIS.format(Instant.ofEpochMilli(ctx.timestampEpochMs())));
        ObjectNode info = doc.putObject("KafkaBatchInfo");
        info.put("batchSize", batch.size());
        origin.eventSourceArn().ifPresent(arn -> info.put("eventSourceArn", arn));
        info.put("bootstrapServers", origin.bootstrapServers());
        info.put("payloadSize", payloadSize);
        ObjectNode recordsInfo = info.putObject("recordsInfo");
        Map<String, ConsumerRecord<byte[], byte[]>[]> firstLast = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            @SuppressWarnings("unchecked")
            ConsumerRecord<byte[], byte[]>[] fl = firstLast.computeIfAbsent(partitionKey(r.topic(), r.partition()),
                    k -> new ConsumerRecord[]{r, r});
            if (r.offset() < fl[0].offset()) {
                fl[0] = r;
            }
            if (r.offset() > fl[1].offset()) {
                fl[1] = r;
            }
        }
        firstLast.forEach((key, fl) -> {
            ObjectNode p = recordsInfo.putObject(key);
            p.put("firstRecordOffset", Long.toString(fl[0].offset()));
            p.put("lastRecordOffset", Long.toString(fl[1].offset()));
            p.put("firstRecordTimestamp", MILLIS.format(Instant.ofEpochMilli(fl[0].timestamp())));
            p.put("lastRecordTimestamp", MILLIS.format(Instant.ofEpochMilli(fl[1].timestamp())));
        });
        return doc;
    }
}
