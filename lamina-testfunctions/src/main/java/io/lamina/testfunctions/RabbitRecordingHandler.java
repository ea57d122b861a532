package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Takes the typed {@link RabbitMQEvent} and appends one JSON line per invocation to
 * {@code $RECORD_DIR/invocations.jsonl}: every field as the typed getters return it, in the event's
 * shape, so a test sees what a Java function really receives. Throws when a message's data starts with
 * {@code fail}, so the mapping's failure path can be driven from the messages.
 */
public class RabbitRecordingHandler implements RequestHandler<RabbitMQEvent, String> {
    @Override
    public String handleRequest(RabbitMQEvent event, Context context) {
        var out = new StringBuilder("{");
        field(out, "requestId", context.getAwsRequestId()).append(',');
        field(out, "eventSource", event.getEventSource()).append(',');
        field(out, "eventSourceArn", event.getEventSourceArn()).append(",\"rmqMessagesByQueue\":{");
        boolean fail = false;
        boolean firstQueue = true;
        for (Map.Entry<String, List<RabbitMQEvent.RabbitMessage>> q : event.getRmqMessagesByQueue().entrySet()) {
            if (!firstQueue) {
                out.append(',');
            }
            firstQueue = false;
            string(out, q.getKey()).append(":[");
            boolean firstMessage = true;
            for (RabbitMQEvent.RabbitMessage m : q.getValue()) {
                if (!firstMessage) {
                    out.append(',');
                }
                firstMessage = false;
                RabbitMQEvent.BasicProperties p = m.getBasicProperties();
                out.append("{\"basicProperties\":{");
                field(out, "contentType", p.getContentType()).append(',');
                field(out, "contentEncoding", p.getContentEncoding()).append(',');
                out.append("\"headers\":");
                value(out, p.getHeaders()).append(',');
                out.append("\"deliveryMode\":").append(p.getDeliveryMode()).append(',');
                out.append("\"priority\":").append(p.getPriority()).append(',');
                field(out, "correlationId", p.getCorrelationId()).append(',');
                field(out, "replyTo", p.getReplyTo()).append(',');
                out.append("\"expiration\":").append(p.getExpiration()).append(',');
                field(out, "messageId", p.getMessageId()).append(',');
                field(out, "timestamp", p.getTimestamp()).append(',');
                field(out, "type", p.getType()).append(',');
                field(out, "userId", p.getUserId()).append(',');
                field(out, "appId", p.getAppId()).append(',');
                field(out, "clusterId", p.getClusterId()).append(',');
                out.append("\"bodySize\":").append(p.getBodySize()).append("},");
                out.append("\"redelivered\":").append(m.getRedelivered()).append(',');
                field(out, "data", m.getData()).append('}');
                String body = new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8);
                fail |= body.startsWith("fail");
            }
            out.append(']');
        }
        out.append("}}\n");
        try {
            Files.writeString(Path.of(System.getenv("RECORD_DIR"), "invocations.jsonl"), out.toString(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (fail) {
            throw new IllegalStateException("failing on purpose: a message asked for it");
        }
        return "ok";
    }

    private static StringBuilder field(StringBuilder out, String name, String v) {
        string(out, name).append(':');
        return v == null ? out.append("null") : string(out, v);
    }

    private static StringBuilder value(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey())).append(':');
                    value(out, e.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(out, list.get(i));
                }
                out.append(']');
            }
            default -> string(out, v.getClass().getName() + ":" + v);
        }
        return out;
    }

    private static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
