package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;

import java.nio.charset.StandardCharsets;
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
        JsonText.field(out, "requestId", context.getAwsRequestId()).append(',');
        JsonText.field(out, "eventSource", event.getEventSource()).append(',');
        JsonText.field(out, "eventSourceArn", event.getEventSourceArn()).append(",\"rmqMessagesByQueue\":{");
        boolean fail = false;
        boolean firstQueue = true;
        for (Map.Entry<String, List<RabbitMQEvent.RabbitMessage>> q : event.getRmqMessagesByQueue().entrySet()) {
            if (!firstQueue) {
                out.append(',');
            }
            firstQueue = false;
            JsonText.string(out, q.getKey()).append(":[");
            boolean firstMessage = true;
            for (RabbitMQEvent.RabbitMessage m : q.getValue()) {
                if (!firstMessage) {
                    out.append(',');
                }
                firstMessage = false;
                RabbitMQEvent.BasicProperties p = m.getBasicProperties();
                out.append("{\"basicProperties\":{");
                JsonText.field(out, "contentType", p.getContentType()).append(',');
                JsonText.field(out, "contentEncoding", p.getContentEncoding()).append(',');
                out.append("\"headers\":");
                JsonText.value(out, p.getHeaders()).append(',');
                out.append("\"deliveryMode\":").append(p.getDeliveryMode()).append(',');
                out.append("\"priority\":").append(p.getPriority()).append(',');
                JsonText.field(out, "correlationId", p.getCorrelationId()).append(',');
                JsonText.field(out, "replyTo", p.getReplyTo()).append(',');
                out.append("\"expiration\":").append(p.getExpiration()).append(',');
                JsonText.field(out, "messageId", p.getMessageId()).append(',');
                JsonText.field(out, "timestamp", p.getTimestamp()).append(',');
                JsonText.field(out, "type", p.getType()).append(',');
                JsonText.field(out, "userId", p.getUserId()).append(',');
                JsonText.field(out, "appId", p.getAppId()).append(',');
                JsonText.field(out, "clusterId", p.getClusterId()).append(',');
                out.append("\"bodySize\":").append(p.getBodySize()).append("},");
                out.append("\"redelivered\":").append(m.getRedelivered()).append(',');
                JsonText.field(out, "data", m.getData()).append('}');
                String body = new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8);
                fail |= body.startsWith("fail");
            }
            out.append(']');
        }
        out.append("}}\n");
        JsonText.append("invocations.jsonl", out.toString());
        if (fail) {
            throw new IllegalStateException("failing on purpose: a message asked for it");
        }
        return "ok";
    }

}
