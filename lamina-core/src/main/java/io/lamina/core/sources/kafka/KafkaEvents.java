package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
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
     * first appearance. Measured first, then written by hand into an array of exactly that size: at a batch
     * of 1000 records, building the event (and the copies a growing stream makes) was a large share of a
     * batch's cost in Lamina, and the array is handed to the Runtime API as it is.
     */
    public static byte[] event(List<ConsumerRecord<byte[], byte[]>> batch, Origin origin) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        String lastKey = null;
        List<ConsumerRecord<byte[], byte[]>> last = null;
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            // Consecutive records mostly share a partition: no key string and no map lookup for those.
            if (last == null || !last.getFirst().topic().equals(r.topic()) || last.getFirst().partition() != r.partition()) {
                lastKey = partitionKey(r.topic(), r.partition());
                last = byPartition.computeIfAbsent(lastKey, k -> new ArrayList<>());
            }
            last.add(r);
        }
        long size = 1 + field("eventSource", origin.eventSource()) + 1
                + origin.eventSourceArn().map(arn -> field("eventSourceArn", arn) + 1).orElse(0L)
                + field("bootstrapServers", origin.bootstrapServers()) + 1 + string("records") + 1 + 1 + 1 + 1;
        // A partition's records share their topic: it is escaped and encoded once per partition.
        List<byte[]> topics = new ArrayList<>(byPartition.size());
        int partitions = 0;
        for (var e : byPartition.entrySet()) {
            byte[] topic = encoded(e.getValue().getFirst().topic());
            topics.add(topic);
            size += (partitions++ > 0 ? 1 : 0) + string(e.getKey()) + 1 + 2 + e.getValue().size() - 1;
            for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                size += recordSize(r, topic);
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a Kafka event of " + size + " bytes");
        }
        Out out = new Out((int) size);
        out.ascii("{\"eventSource\":").string(origin.eventSource());
        if (origin.eventSourceArn().isPresent()) {
            out.ascii(",\"eventSourceArn\":").string(origin.eventSourceArn().get());
        }
        out.ascii(",\"bootstrapServers\":").string(origin.bootstrapServers()).ascii(",\"records\":{");
        partitions = 0;
        for (var e : byPartition.entrySet()) {
            byte[] topic = topics.get(partitions);
            if (partitions++ > 0) {
                out.put(',');
            }
            out.string(e.getKey()).ascii(":[");
            boolean first = true;
            for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                if (!first) {
                    out.put(',');
                }
                first = false;
                write(out, r, topic);
            }
            out.put(']');
        }
        out.ascii("}}");
        return out.bytes();
    }

    /** One record, as Lambda writes it in {@code records}. */
    public static String record(ConsumerRecord<byte[], byte[]> r) {
        byte[] topic = encoded(r.topic());
        Out out = new Out((int) recordSize(r, topic));
        write(out, r, topic);
        return new String(out.bytes(), StandardCharsets.UTF_8);
    }

    /** {@code s} as a JSON string, quotes included. */
    private static byte[] encoded(String s) {
        Out out = new Out((int) string(s));
        out.string(s);
        return out.bytes();
    }

    // The constant parts of a record, in the order write() puts them.
    private static final byte[] TOPIC = ascii("{\"topic\":");
    private static final byte[] PARTITION = ascii(",\"partition\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] TIMESTAMP_TYPE = ascii(",\"timestampType\":");
    private static final byte[] KEY = ascii(",\"key\":\"");
    private static final byte[] VALUE = ascii(",\"value\":\"");
    private static final byte[] HEADERS = ascii(",\"headers\":[");
    private static final byte[] END = ascii("]}");
    /** Every record has these, whatever its fields hold. */
    private static final int FIXED = TOPIC.length + PARTITION.length + OFFSET.length + TIMESTAMP.length
            + TIMESTAMP_TYPE.length + HEADERS.length + END.length;
    /** Each timestamp type's name as a JSON string, by ordinal (plain ASCII names, nothing to escape). */
    private static final byte[][] TIMESTAMP_TYPES = Arrays.stream(TimestampType.values())
            .map(t -> ascii("\"" + t.name() + "\"")).toArray(byte[][]::new);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes {@link #write} takes for the record, {@code topic} being its topic as {@link #encoded}. */
    private static long recordSize(ConsumerRecord<byte[], byte[]> r, byte[] topic) {
        long size = FIXED + topic.length + digits(r.partition()) + digits(r.offset()) + digits(r.timestamp())
                + TIMESTAMP_TYPES[r.timestampType().ordinal()].length;
        if (r.key() != null) {
            size += KEY.length + base64Length(r.key().length) + 1;
        }
        if (r.value() != null) {
            size += VALUE.length + base64Length(r.value().length) + 1;
        }
        int n = 0;
        for (Header h : r.headers()) {
            size += (n++ > 0 ? 1 : 0) + 2 + string(h.key()) + 1 + 2;
            byte[] v = h.value();
            if (v != null && v.length > 0) {
                size += v.length - 1;
                for (byte b : v) {
                    size += digits(b);
                }
            }
        }
        return size;
    }

    private static void write(Out out, ConsumerRecord<byte[], byte[]> r, byte[] topic) {
        out.raw(TOPIC).raw(topic)
                .raw(PARTITION).number(r.partition())
                .raw(OFFSET).number(r.offset())
                .raw(TIMESTAMP).number(r.timestamp())
                .raw(TIMESTAMP_TYPE).raw(TIMESTAMP_TYPES[r.timestampType().ordinal()]);
        // Standard base64 with padding and no line breaks, as Lambda writes it.
        if (r.key() != null) {
            out.raw(KEY).base64(r.key()).put('"');
        }
        if (r.value() != null) {
            out.raw(VALUE).base64(r.value()).put('"');
        }
        out.raw(HEADERS);
        boolean first = true;
        for (Header h : r.headers()) {
            if (!first) {
                out.put(',');
            }
            first = false;
            out.put('{').string(h.key()).ascii(":[");
            byte[] v = h.value();
            if (v != null) {
                for (int i = 0; i < v.length; i++) {
                    if (i > 0) {
                        out.put(',');
                    }
                    out.number(v[i]);
                }
            }
            out.ascii("]}");
        }
        out.raw(END);
    }

    /** {@code "name":"value"}, escaped. */
    private static long field(String name, String value) {
        return string(name) + 1 + string(value);
    }

    private static int base64Length(int n) {
        return 4 * ((n + 2) / 3);
    }

    private static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        for (long a = Math.abs(v); a >= 10; a /= 10) {
            n++;
        }
        return n;
    }

    /** Bytes {@link Out#string} takes for {@code s}, quotes included. */
    private static long string(String s) {
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else if (Character.isSurrogate(c)) {
                    n += 1; // written as '?', as String.getBytes does
                } else {
                    n += c < 0x800 ? 2 : 3;
                }
            } else {
                n += ESCAPES[c] == null ? 1 : ESCAPES[c].length;
            }
        }
        return n;
    }

    /** How JSON writes each ASCII character that needs escaping (the short forms where there is one). */
    private static final byte[][] ESCAPES = new byte[128][];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = String.format("\\u%04X", c).getBytes(StandardCharsets.US_ASCII);
        }
        ESCAPES['\b'] = "\\b".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\t'] = "\\t".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\n'] = "\\n".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\f'] = "\\f".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\r'] = "\\r".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['"'] = "\\\"".getBytes(StandardCharsets.US_ASCII);
        ESCAPES['\\'] = "\\\\".getBytes(StandardCharsets.US_ASCII);
    }

    /** Values at least this long are encoded by the JDK's encoder; shorter ones by the table below. */
    private static final int BASE64_JDK_MIN = 48;
    private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .getBytes(StandardCharsets.US_ASCII);

    /** A JSON writer into an array sized beforehand (grown only if the size was short). */
    private static final class Out {
        private byte[] buf;
        private int n;

        Out(int size) {
            buf = new byte[size];
        }

        byte[] bytes() {
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }

        private void room(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(n + more, buf.length * 2));
            }
        }

        Out put(char c) {
            room(1);
            buf[n++] = (byte) c;
            return this;
        }

        /** Bytes already encoded. */
        Out raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
            return this;
        }

        /** A constant with nothing to escape. */
        Out ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[n++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out string(String s) {
            room(s.length() + 2);
            buf[n++] = '"';
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    byte[] esc = ESCAPES[c];
                    if (esc == null) {
                        room(1);
                        buf[n++] = (byte) c;
                    } else {
                        room(esc.length);
                        System.arraycopy(esc, 0, buf, n, esc.length);
                        n += esc.length;
                    }
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    room(4);
                    buf[n++] = (byte) (0xF0 | cp >> 18);
                    buf[n++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                    buf[n++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                    buf[n++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    room(1);
                    buf[n++] = '?';
                } else if (c < 0x800) {
                    room(2);
                    buf[n++] = (byte) (0xC0 | c >> 6);
                    buf[n++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    room(3);
                    buf[n++] = (byte) (0xE0 | c >> 12);
                    buf[n++] = (byte) (0x80 | (c >> 6 & 0x3F));
                    buf[n++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            room(1);
            buf[n++] = '"';
            return this;
        }

        Out number(long v) {
            int d = digits(v);
            room(d);
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            int end = n + d;
            int i = end;
            long a = Math.abs(v);
            do {
                buf[--i] = (byte) ('0' + a % 10);
                a /= 10;
            } while (a != 0);
            if (v < 0) {
                buf[--i] = '-';
            }
            n = end;
            return this;
        }

        /** Where the JDK's encoder (vectorised on x86) writes a longer value before it is copied in. */
        private byte[] scratch;

        Out base64(byte[] src) {
            int len = base64Length(src.length);
            room(len);
            if (src.length >= BASE64_JDK_MIN) {
                if (scratch == null || scratch.length < len) {
                    scratch = new byte[Math.max(len, 1024)];
                }
                java.util.Base64.getEncoder().encode(src, scratch);
                System.arraycopy(scratch, 0, buf, n, len);
                n += len;
                return this;
            }
            int i = 0;
            int full = src.length - src.length % 3;
            for (; i < full; i += 3) {
                int bits = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF);
                buf[n++] = BASE64[bits >>> 18];
                buf[n++] = BASE64[bits >>> 12 & 0x3F];
                buf[n++] = BASE64[bits >>> 6 & 0x3F];
                buf[n++] = BASE64[bits & 0x3F];
            }
            int left = src.length - full;
            if (left > 0) {
                int bits = (src[i] & 0xFF) << 16 | (left == 2 ? (src[i + 1] & 0xFF) << 8 : 0);
                buf[n++] = BASE64[bits >>> 18];
                buf[n++] = BASE64[bits >>> 12 & 0x3F];
                buf[n++] = left == 2 ? BASE64[bits >>> 6 & 0x3F] : (byte) '=';
                buf[n++] = '=';
            }
            return this;
        }
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
        context(doc, ctx, requestId);
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

    /**
     * The document Lambda puts in an S3 OnFailure bucket for a Kafka batch given up: the SQS/SNS record plus
     * {@code payload}, the whole event the function was invoked with "as an escaped JSON string"
     * (https://docs.aws.amazon.com/lambda/latest/dg/with-msk-on-failure.html, S3 destination example).
     */
    public static ObjectNode s3FailureRecord(List<ConsumerRecord<byte[], byte[]>> batch, Origin origin, byte[] event,
                                             io.lamina.core.sources.FailureContext ctx, String requestId) {
        ObjectNode doc = failureRecord(batch, origin, event.length, ctx, requestId);
        doc.put("payload", new String(event, StandardCharsets.UTF_8));
        return doc;
    }

    /** The key's time part: {@code YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS}, in UTC. */
    private static final DateTimeFormatter S3_KEY_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd/yyyy-MM-dd'T'HH.mm.ss")
            .withZone(ZoneOffset.UTC);

    /**
     * The S3 object key of a failure record, after AWS's naming convention for event source mapping
     * destinations, {@code aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>}
     * (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html). AWS's Kafka pages
     * show no key; Lamina puts the batch's first {@code <topic>-<partition>} (the event's records key) where
     * a stream has its shard ID.
     */
    public static String s3ObjectKey(String mappingUuid, String partitionId, Instant at, String randomUuid) {
        return "aws/lambda/" + mappingUuid + "/" + partitionId + "/" + S3_KEY_TIME.format(at) + "-" + randomUuid;
    }

    /**
     * The value Lambda writes to a Kafka OnFailure topic for one failed record
     * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html, record format): the
     * request and response context, {@code KafkaBatchInfo} with this record's offset and timestamp as
     * {@code recordInfo}, and {@code payload}, the event of this record alone as a JSON object.
     * {@code batchSize} and {@code payloadSize} describe the batch given up (AWS's example, of a one-record
     * batch, does not tell the two readings apart).
     */
    public static ObjectNode topicFailureRecord(ConsumerRecord<byte[], byte[]> record, int batchSize, int payloadSize,
                                                Origin origin, io.lamina.core.sources.FailureContext ctx,
                                                String requestId) {
        ObjectNode doc = JSON.createObjectNode();
        context(doc, ctx, requestId);
        ObjectNode info = doc.putObject("KafkaBatchInfo");
        info.put("batchSize", batchSize);
        origin.eventSourceArn().ifPresent(arn -> info.put("eventSourceArn", arn));
        info.put("bootstrapServers", origin.bootstrapServers());
        info.put("payloadSize", payloadSize);
        ObjectNode recordInfo = info.putObject("recordInfo");
        recordInfo.put("offset", Long.toString(record.offset()));
        recordInfo.put("timestamp", MILLIS.format(Instant.ofEpochMilli(record.timestamp())));
        try {
            doc.set("payload", JSON.readTree(event(List.of(record), origin)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the event Lamina wrote is not JSON", e);
        }
        return doc;
    }

    private static void context(ObjectNode doc, io.lamina.core.sources.FailureContext ctx, String requestId) {
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
    }
}
