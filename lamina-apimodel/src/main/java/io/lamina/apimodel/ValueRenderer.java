package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Prints a value the way AWS's (Java) front end prints it in validation messages: its
 * {@code toString()}. Strings bare, integers bare, doubles like {@link Double#toString}, lists
 * {@code [a, b]}, maps {@code {k=v}}, structures {@code ShapeName(member=value, other=null)} (the form
 * Lambda prints for DestinationConfig in an InvalidParameterValueException), blobs as a
 * {@code java.nio.HeapByteBuffer}.
 */
final class ValueRenderer {

    private ValueRenderer() { }

    static String render(Shape s, JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        return switch (s.type()) {
            case STRING -> v.asText();
            case INTEGER, LONG -> v.isNumber() ? v.bigIntegerValue().toString() : v.asText();
            case FLOAT, DOUBLE -> v.isNumber() ? Double.toString(v.doubleValue()) : v.asText();
            case BOOLEAN -> Boolean.toString(v.asBoolean());
            case TIMESTAMP -> v.isNumber() ? instant(v.decimalValue()).toString() : v.asText();
            case BLOB -> {
                int n = blobSize(v);
                yield "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
            }
            case LIST -> {
                StringJoiner j = new StringJoiner(", ", "[", "]");
                Shape element = s.element().orElseThrow();
                v.forEach(e -> j.add(render(element, e)));
                yield j.toString();
            }
            case MAP -> {
                StringJoiner j = new StringJoiner(", ", "{", "}");
                Shape value = s.value().orElseThrow();
                Iterator<Map.Entry<String, JsonNode>> it = v.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    j.add(e.getKey() + "=" + render(value, e.getValue()));
                }
                yield j.toString();
            }
            case STRUCTURE -> {
                StringJoiner j = new StringJoiner(", ", s.name() + "(", ")");
                for (Member m : s.members().values()) {
                    JsonNode mv = v.get(m.name());
                    j.add(m.pathName() + "=" + (m.shape().sensitive() && mv != null && !mv.isNull() ? "***" : render(m.shape(), mv)));
                }
                yield j.toString();
            }
        };
    }

    private static Instant instant(BigDecimal seconds) {
        long s = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(s)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(s, nanos);
    }

    private static int blobSize(JsonNode v) {
        if (v instanceof BinaryNode b) {
            return b.binaryValue().length;
        }
        try {
            return Base64.getMimeDecoder().decode(v.asText()).length;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
