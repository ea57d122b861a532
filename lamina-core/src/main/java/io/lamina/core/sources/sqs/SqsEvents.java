package io.lamina.core.sources.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code aws:sqs} event Lambda sends for a batch of messages: one record per message, in the
 * member order AWS writes, string attribute values and base64 binaries as {@code SQSEvent} from
 * {@code aws-lambda-java-events} reads them.
 */
public final class SqsEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The system attributes Lambda passes on, in its order; others (e.g. FIFO ones) follow when present. */
    private static final List<String> FIRST_ATTRIBUTES = List.of("ApproximateReceiveCount", "SentTimestamp",
            "SenderId", "ApproximateFirstReceiveTimestamp");

    private SqsEvents() {
    }

    /** The whole event: {@code {"Records":[...]}}. */
    public static ObjectNode event(List<Message> messages, String queueArn, String region) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            records.add(record(m, queueArn, region));
        }
        return event;
    }

    /** One record, as Lambda writes it. */
    public static ObjectNode record(Message m, String queueArn, String region) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", m.messageId());
        r.put("receiptHandle", m.receiptHandle());
        r.put("body", m.body());
        ObjectNode attributes = r.putObject("attributes");
        Map<String, String> system = m.attributesAsStrings();
        for (String name : FIRST_ATTRIBUTES) {
            if (system.containsKey(name)) {
                attributes.put(name, system.get(name));
            }
        }
        new TreeMap<>(system).forEach((name, value) -> {
            if (!FIRST_ATTRIBUTES.contains(name)) {
                attributes.put(name, value);
            }
        });
        ObjectNode messageAttributes = r.putObject("messageAttributes");
        m.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
        r.put("md5OfBody", m.md5OfBody());
        if (m.md5OfMessageAttributes() != null) {
            r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
        }
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", queueArn);
        r.put("awsRegion", region);
        return r;
    }

    private static ObjectNode attribute(MessageAttributeValue v) {
        ObjectNode a = JSON.createObjectNode();
        if (v.stringValue() != null) {
            a.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
            a.put("binaryValue", base64(v.binaryValue()));
        }
        ArrayNode strings = a.putArray("stringListValues");
        v.stringListValues().forEach(strings::add);
        ArrayNode binaries = a.putArray("binaryListValues");
        v.binaryListValues().forEach(b -> binaries.add(base64(b)));
        a.put("dataType", v.dataType());
        return a;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
