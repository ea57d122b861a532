package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the typed {@link KafkaEvent} and appends one JSON line per invocation to
 * {@code $RECORD_DIR/<function name>.jsonl}, listing every typed field it saw (keys and values decoded from
 * base64, headers as their bytes). A record whose value starts with {@code fail} fails the whole invocation;
 * one whose value starts with {@code reject} is reported in {@code batchItemFailures}.
 */
public class KafkaRecorderHandler implements RequestHandler<KafkaEvent, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(KafkaEvent event, Context context) {
        StringBuilder line = new StringBuilder("{");
        JsonText.field(line, "requestId", context.getAwsRequestId()).append(',');
        JsonText.field(line, "eventSource", event.getEventSource()).append(',');
        JsonText.field(line, "eventSourceArn", event.getEventSourceArn()).append(',');
        JsonText.field(line, "bootstrapServers", event.getBootstrapServers()).append(",\"records\":{");
        List<Map<String, Object>> failures = new ArrayList<>();
        boolean fail = false;
        boolean firstKey = true;
        for (var e : event.getRecords().entrySet()) {
            if (!firstKey) {
                line.append(',');
            }
            firstKey = false;
            JsonText.string(line, e.getKey()).append(":[");
            boolean first = true;
            for (KafkaEvent.KafkaEventRecord r : e.getValue()) {
                if (!first) {
                    line.append(',');
                }
                first = false;
                String value = decode(r.getValue());
                line.append('{');
                JsonText.field(line, "topic", r.getTopic()).append(",\"partition\":").append(r.getPartition())
                        .append(",\"offset\":").append(r.getOffset()).append(",\"timestamp\":").append(r.getTimestamp())
                        .append(',');
                JsonText.field(line, "timestampType", r.getTimestampType()).append(',');
                JsonText.field(line, "key", decode(r.getKey())).append(',');
                JsonText.field(line, "value", value).append(",\"headers\":[");
                boolean firstHeader = true;
                for (Map<String, byte[]> h : r.getHeaders()) {
                    for (var he : h.entrySet()) {
                        if (!firstHeader) {
                            line.append(',');
                        }
                        firstHeader = false;
                        line.append('{');
                        JsonText.string(line, he.getKey()).append(":[");
                        byte[] bytes = he.getValue();
                        for (int i = 0; i < bytes.length; i++) {
                            line.append(i == 0 ? "" : ",").append(bytes[i]);
                        }
                        line.append("]}");
                    }
                }
                line.append("]}");
                if (value != null && value.startsWith("fail")) {
                    fail = true;
                }
                if (value != null && value.startsWith("reject")) {
                    var id = new LinkedHashMap<String, Object>();
                    id.put("partition", e.getKey());
                    id.put("offset", r.getOffset());
                    failures.add(Map.of("itemIdentifier", id));
                }
            }
            line.append(']');
        }
        line.append("}}\n");
        JsonText.append(context.getFunctionName() + ".jsonl", line.toString());
        if (fail) {
            throw new IllegalStateException("a record asked to fail");
        }
        return Map.of("batchItemFailures", failures);
    }

    private static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

}
