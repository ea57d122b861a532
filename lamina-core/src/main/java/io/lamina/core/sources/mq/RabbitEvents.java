package io.lamina.core.sources.mq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code aws:rmq} event Lambda sends for a batch of RabbitMQ messages
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html, "Example RabbitMQ event"):
 * {@code rmqMessagesByQueue} keyed {@code "<queue>::<virtual host>"}, each message with its
 * {@code basicProperties}, {@code redelivered} and base64 {@code data}.
 * <p>
 * AWS writes {@code basicProperties} the way Gson, with nulls kept, serialises amqp-client's
 * {@code AMQP.BasicProperties}: the class's fields in declaration order, then {@code bodySize} from its
 * superclass; unset properties as {@code null}; a header's {@code LongString} as its one field,
 * {@code {"bytes":[...]}} (signed bytes, as Gson writes a Java {@code byte[]}); dates in Gson's default
 * format, {@code "Jan 1, 1970, 12:33:41 AM"}, in UTC.
 */
public final class RabbitEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Gson's default date format (DateFormat.DEFAULT for date and time, US locale); Lambda runs in UTC. */
    private static final DateTimeFormatter GSON_DATE =
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private RabbitEvents() {
    }

    /** The key a queue's messages are listed under: {@code queue::vhost}. */
    public static String queueKey(String queue, String virtualHost) {
        return queue + "::" + virtualHost;
    }

    /** The whole event for messages read from one queue. */
    public static ObjectNode event(String brokerArn, String queueKey, List<ObjectNode> messages) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventSource", "aws:rmq");
        event.put("eventSourceArn", brokerArn);
        ArrayNode list = event.putObject("rmqMessagesByQueue").putArray(queueKey);
        messages.forEach(list::add);
        return event;
    }

    /** One message as it appears in the event's list. */
    public static ObjectNode message(AMQP.BasicProperties p, boolean redelivered, byte[] body) {
        ObjectNode m = JSON.createObjectNode();
        ObjectNode bp = m.putObject("basicProperties");
        bp.put("contentType", p.getContentType());
        bp.put("contentEncoding", p.getContentEncoding());
        bp.set("headers", p.getHeaders() == null ? NODES.nullNode() : table(p.getHeaders()));
        bp.put("deliveryMode", p.getDeliveryMode());
        bp.put("priority", p.getPriority());
        bp.put("correlationId", p.getCorrelationId());
        bp.put("replyTo", p.getReplyTo());
        bp.put("expiration", p.getExpiration());
        bp.put("messageId", p.getMessageId());
        bp.put("timestamp", p.getTimestamp() == null ? null : date(p.getTimestamp()));
        bp.put("type", p.getType());
        bp.put("userId", p.getUserId());
        bp.put("appId", p.getAppId());
        bp.put("clusterId", p.getClusterId());
        // The content header's body size, which on the wire is always the body's length.
        bp.put("bodySize", body.length);
        m.put("redelivered", redelivered);
        m.put("data", Base64.getEncoder().encodeToString(body));
        return m;
    }

    private static ObjectNode table(Map<String, Object> headers) {
        ObjectNode o = JSON.createObjectNode();
        headers.forEach((k, v) -> o.set(k, value(v)));
        return o;
    }

    /** A header value as Gson writes the Java object amqp-client decoded it to. */
    @SuppressWarnings("unchecked")
    private static com.fasterxml.jackson.databind.JsonNode value(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case LongString s -> {
                ObjectNode o = JSON.createObjectNode();
                o.set("bytes", bytes(s.getBytes()));
                yield o;
            }
            case String s -> NODES.textNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Byte b -> NODES.numberNode(b);
            case Float f -> NODES.numberNode(f);
            case Double d -> NODES.numberNode(d);
            case BigDecimal d -> NODES.numberNode(d);
            case Date d -> NODES.textNode(date(d));
            case byte[] b -> bytes(b);
            case Map<?, ?> m -> table((Map<String, Object>) m);
            case List<?> l -> {
                ArrayNode a = JSON.createArrayNode();
                l.forEach(x -> a.add(value(x)));
                yield a;
            }
            default -> NODES.textNode(v.toString());
        };
    }

    private static ArrayNode bytes(byte[] b) {
        ArrayNode a = JSON.createArrayNode();
        for (byte x : b) {
            a.add((int) x);
        }
        return a;
    }

    private static String date(Date d) {
        return GSON_DATE.format(d.toInstant());
    }
}
