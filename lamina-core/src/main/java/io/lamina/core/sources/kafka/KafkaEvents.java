package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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

    /**
     * The whole event as UTF-8 JSON; records of one partition keep their order, partitions come in order of
     * first appearance. Written in one pass (no tree, no intermediate strings): at a batch of 1000 records
     * building the event is a large share of a batch's cost.
     */
    public static byte[] event(List<ConsumerRecord<byte[], byte[]>> batch, Origin origin) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        long size = 256;
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            byPartition.computeIfAbsent(partitionKey(r.topic(), r.partition()), k -> new ArrayList<>()).add(r);
            size += 160 + 4L * (Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize())) / 3;
        }
        var out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventSource", origin.eventSource());
            if (origin.eventSourceArn().isPresent()) {
                g.writeStringField("eventSourceArn", origin.eventSourceArn().get());
            }
            g.writeStringField("bootstrapServers", origin.bootstrapServers());
            g.writeObjectFieldStart("records");
            for (var e : byPartition.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                    write(g, r);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One record, as Lambda writes it in {@code records}. */
    public static String record(ConsumerRecord<byte[], byte[]> r) {
        var out = new StringWriter(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, ConsumerRecord<byte[], byte[]> r) throws IOException {
        g.writeStartObject();
        g.writeStringField("topic", r.topic());
        g.writeNumberField("partition", r.partition());
        g.writeNumberField("offset", r.offset());
        g.writeNumberField("timestamp", r.timestamp());
        g.writeStringField("timestampType", r.timestampType().name());
        // Jackson's default base64 is the standard alphabet with padding and no line breaks, as Lambda writes.
        if (r.key() != null) {
            g.writeFieldName("key");
            g.writeBinary(r.key());
        }
        if (r.value() != null) {
            g.writeFieldName("value");
            g.writeBinary(r.value());
        }
        g.writeArrayFieldStart("headers");
        for (Header h : r.headers()) {
            g.writeStartObject();
            g.writeArrayFieldStart(h.key());
            if (h.value() != null) {
                for (byte b : h.value()) {
                    g.writeNumber(b);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
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
