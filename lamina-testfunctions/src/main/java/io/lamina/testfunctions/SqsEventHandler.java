package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import java.nio.ByteBuffer;
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
            JsonText.value(lines, fields).append('\n');
            if (m.getBody() != null && m.getBody().contains("fail")) {
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        JsonText.append(context.getFunctionName() + ".txt", lines.toString());
        if (event.getRecords().stream().anyMatch(m -> m.getBody() != null && m.getBody().contains("crash"))) {
            throw new IllegalStateException("crash requested");
        }
        return new SQSBatchResponse(failures);
    }

    private static String base64(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

}
