package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Receives the typed {@link SQSEvent} (deserialised by the runtime interface client) and appends one
 * JSON line per message to {@code $RECORD_DIR/<function>.txt} listing every field it saw, so a test can
 * assert on what the typed classes read. A message whose body contains {@code fail} is reported in
 * {@code batchItemFailures}; one containing {@code crash} fails the whole invocation.
 */
public class SqsEventHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        var lines = new StringBuilder();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            var fields = new TreeMap<String, String>();
            fields.put("messageId", m.getMessageId());
            fields.put("receiptHandle", m.getReceiptHandle());
            fields.put("body", m.getBody());
            fields.put("md5OfBody", m.getMd5OfBody());
            fields.put("md5OfMessageAttributes", m.getMd5OfMessageAttributes());
            fields.put("eventSource", m.getEventSource());
            fields.put("eventSourceArn", m.getEventSourceArn());
            fields.put("awsRegion", m.getAwsRegion());
            for (Map.Entry<String, String> a : new TreeMap<>(m.getAttributes()).entrySet()) {
                fields.put("attributes." + a.getKey(), a.getValue());
            }
            for (var a : new TreeMap<>(m.getMessageAttributes()).entrySet()) {
                SQSEvent.MessageAttribute v = a.getValue();
                fields.put("messageAttributes." + a.getKey() + ".dataType", v.getDataType());
                fields.put("messageAttributes." + a.getKey() + ".stringValue", v.getStringValue());
                fields.put("messageAttributes." + a.getKey() + ".binaryValue", base64(v.getBinaryValue()));
            }
            fields.put("requestId", context.getAwsRequestId());
            fields.put("batchSize", Integer.toString(event.getRecords().size()));
            lines.append(json(fields)).append('\n');
            if (m.getBody() != null && m.getBody().contains("fail")) {
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        append(context.getFunctionName(), lines.toString());
        if (event.getRecords().stream().anyMatch(m -> m.getBody() != null && m.getBody().contains("crash"))) {
            throw new IllegalStateException("crash requested");
        }
        return new SQSBatchResponse(failures);
    }

    /** A flat JSON object of strings (nulls kept), without a JSON library in the function. */
    static String json(Map<String, String> fields) {
        var sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey()).append(':');
            if (e.getValue() == null) {
                sb.append("null");
            } else {
                quote(sb, e.getValue());
            }
        }
        return sb.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    private static String base64(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static void append(String function, String text) {
        try {
            Files.writeString(Path.of(System.getenv("RECORD_DIR"), function + ".txt"), text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
