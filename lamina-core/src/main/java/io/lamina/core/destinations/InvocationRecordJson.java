package io.lamina.core.destinations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a {@link DestinationRecord} as AWS does: compact, fields in AWS's order, the event and the
 * function's answer embedded as JSON values (not as strings).
 */
final class InvocationRecordJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private InvocationRecordJson() {
    }

    static String write(DestinationRecord record) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(record.timestampEpochMs())));
            g.writeObjectFieldStart("requestContext");
            g.writeStringField("requestId", record.requestId());
            g.writeStringField("functionArn", record.functionArn());
            g.writeStringField("condition", record.condition().name());
            g.writeNumberField("approximateInvokeCount", record.approximateInvokeCount());
            g.writeEndObject();
            g.writeFieldName("requestPayload");
            embed(g, record.requestPayload());
            // A function that never answered has no response: AWS leaves both fields out.
            if (record.response().isPresent()) {
                DestinationRecord.Response response = record.response().get();
                g.writeObjectFieldStart("responseContext");
                g.writeNumberField("statusCode", response.statusCode());
                g.writeStringField("executedVersion", response.executedVersion());
                if (response.functionError().isPresent()) {
                    g.writeStringField("functionError", response.functionError().get());
                }
                g.writeEndObject();
                g.writeFieldName("responsePayload");
                embed(g, response.payload());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A JSON payload is embedded as its value, re-written compactly with numbers kept as written.
     * An empty payload is {@code null}, what the managed runtimes send for a handler that returns
     * nothing. Anything else (a custom runtime may post any bytes) is embedded as a JSON string of its
     * UTF-8 text, so that the record stays valid JSON.
     */
    static void embed(JsonGenerator g, byte[] payload) throws IOException {
        if (isBlank(payload)) {
            g.writeNull();
        } else if (isOneJsonValue(payload)) {
            try (JsonParser p = JSON.createParser(payload)) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        g.writeNumber(p.getText());
                    } else {
                        g.copyCurrentEvent(p);
                    }
                }
            }
        } else {
            g.writeString(new String(payload, StandardCharsets.UTF_8));
        }
    }

    private static boolean isBlank(byte[] payload) {
        for (byte b : payload) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean isOneJsonValue(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
