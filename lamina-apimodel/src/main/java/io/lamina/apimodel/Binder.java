package io.lamina.apimodel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds an HTTP request to an operation's input shape (the REST-JSON protocol): path labels, query
 * parameters and headers by their {@code locationName}, other members from the JSON body, a
 * {@code payload} blob member from the raw body.
 *
 * <p>Errors, and the evidence for them:
 * <ul>
 * <li>A body that is not JSON: {@code InvalidRequestContentException}, 400,
 *     {@code Could not parse request body into json: <parser message>}. AWS's API reference documents this
 *     exception as "The request body could not be parsed as JSON"; the responses recorded against AWS
 *     (LocalStack's test_lambda.snapshot.json, test_lambda_invoke_payload_encoding_error) read
 *     {@code Could not parse request body into json: Could not parse payload into json: Invalid UTF-8
 *     start byte 0x87\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled);
 *     line: 1, column: 3]}: a Jackson message, which this class reproduces with Jackson's own (the inner
 *     "Could not parse payload into json: " belongs to Invoke's payload, which the caller parses).</li>
 * <li>A JSON value of the wrong type, or a query/header value that does not convert:
 *     {@code SerializationException}, 400. Not recorded for Lambda; it is what Coral REST-JSON services
 *     answer (recorded for API Gateway in LocalStack's test_apigateway_api.snapshot.json:
 *     {@code class java.lang.Boolean can not be converted to an String}), worded the same way here.</li>
 * </ul>
 */
final class Binder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Base64 ZipFile strings reach ~70 MB (CreateFunction's request limit): above Jackson's default string limit. */
    private static final int MAX_STRING_LENGTH = 80_000_000;
    private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxStringLength(MAX_STRING_LENGTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Binder() { }

    static BoundInput bind(RouteMatch match, Map<String, List<String>> query,
                           Function<String, Optional<String>> header, byte[] body) {
        Operation op = match.operation();
        ObjectNode out = NODES.objectNode();
        if (op.input().isEmpty()) {
            return new BoundInput(op, out, Optional.empty(), new byte[0]);
        }
        Shape input = op.input().get();
        String payloadName = input.payloadMember().orElse(null);
        byte[] raw = body == null ? new byte[0] : body;
        Set<String> claimedQuery = new HashSet<>();
        boolean hasBodyMembers = false;

        for (Member m : input.members().values()) {
            if (m.name().equals(payloadName)) {
                continue;
            }
            switch (m.location()) {
                case URI -> {
                    String v = match.pathParameters().get(m.locationName() != null ? m.locationName() : m.name());
                    if (v != null) {
                        out.set(m.name(), fromText(v, m.shape()));
                    }
                }
                case QUERY -> {
                    if (m.shape().type() != Shape.Type.MAP) {
                        String name = m.locationName() != null ? m.locationName() : m.name();
                        claimedQuery.add(name);
                        List<String> values = query.get(name);
                        if (values != null && !values.isEmpty()) {
                            out.set(m.name(), fromTexts(values, m.shape()));
                        }
                    }
                }
                case HEADER -> {
                    Optional<String> v = header.apply(m.locationName() != null ? m.locationName() : m.name());
                    if (v.isPresent()) {
                        out.set(m.name(), fromHeader(v.get(), m.shape()));
                    }
                }
                case BODY -> hasBodyMembers = true;
            }
        }
        // A query-string map (no locationName) takes every parameter no other member claimed.
        for (Member m : input.members().values()) {
            if (m.location() == Member.Location.QUERY && m.shape().type() == Shape.Type.MAP) {
                ObjectNode map = NODES.objectNode();
                query.forEach((k, vs) -> {
                    if (!claimedQuery.contains(k) && !vs.isEmpty()) {
                        map.set(k, m.shape().value().get().type() == Shape.Type.LIST
                                ? fromTexts(vs, m.shape().value().get()) : fromText(vs.get(0), m.shape().value().get()));
                    }
                });
                if (!map.isEmpty()) {
                    out.set(m.name(), map);
                }
            }
        }

        if (payloadName != null) {
            Member payload = input.members().get(payloadName);
            if (payload.shape().type() == Shape.Type.STRUCTURE) {
                JsonNode parsed = parse(raw);
                if (parsed != null) {
                    out.set(payloadName, convert(parsed, payload.shape()));
                }
                return new BoundInput(op, out, Optional.empty(), new byte[0]);
            }
            if (raw.length > 0) {
                out.set(payloadName, new BinaryNode(raw));
            }
            return new BoundInput(op, out, Optional.of(payloadName), raw);
        }

        if (hasBodyMembers) {
            JsonNode parsed = parse(raw);
            if (parsed != null) {
                if (!parsed.isObject()) {
                    throw mismatch(parsed, input);
                }
                for (Member m : input.members().values()) {
                    if (m.location() != Member.Location.BODY) {
                        continue;
                    }
                    JsonNode v = parsed.get(m.name());
                    if (v != null && !v.isNull()) {
                        out.set(m.name(), convert(v, m.shape()));
                    }
                }
            }
        }
        return new BoundInput(op, out, Optional.empty(), new byte[0]);
    }

    /** Parses a JSON body; {@code null} when the body is empty or blank. */
    static JsonNode parse(byte[] raw) {
        if (isBlank(raw)) {
            return null;
        }
        try {
            return JSON.readTree(raw);
        } catch (java.io.IOException e) {
            throw new BindException(BindException.INVALID_REQUEST_CONTENT, 400,
                    "Could not parse request body into json: " + e.getMessage());
        }
    }

    /** The parser's message when {@code raw} is not one JSON value, else empty. */
    static Optional<String> jsonSyntaxError(byte[] raw) {
        try {
            JSON.readTree(raw);
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    private static boolean isBlank(byte[] raw) {
        for (byte b : raw) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Converts a JSON value to the member's type; {@code null} elements of lists and maps are kept. */
    static JsonNode convert(JsonNode v, Shape s) {
        if (v.isNull()) {
            return v;
        }
        switch (s.type()) {
            case STRING -> {
                if (v.isTextual()) {
                    return v;
                }
            }
            case BLOB -> {
                if (v.isTextual()) {
                    return v; // base64 text, decoded by whoever uses the member
                }
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    return v;
                }
            }
            case INTEGER, LONG -> {
                if (v.isNumber()) {
                    return integral(v.decimalValue(), s, v);
                }
            }
            case FLOAT, DOUBLE -> {
                if (v.isNumber()) {
                    return NODES.numberNode(v.doubleValue());
                }
            }
            case TIMESTAMP -> {
                if (v.isNumber()) {
                    return NODES.numberNode(v.decimalValue());
                }
            }
            case LIST -> {
                if (v.isArray()) {
                    ArrayNode arr = NODES.arrayNode();
                    Shape element = s.element().orElseThrow();
                    v.forEach(e -> arr.add(convert(e, element)));
                    return arr;
                }
            }
            case MAP -> {
                if (v.isObject()) {
                    ObjectNode map = NODES.objectNode();
                    Shape value = s.value().orElseThrow();
                    v.properties().forEach(e -> map.set(e.getKey(), convert(e.getValue(), value)));
                    return map;
                }
            }
            case STRUCTURE -> {
                if (v.isObject()) {
                    ObjectNode obj = NODES.objectNode();
                    for (Member m : s.members().values()) {
                        JsonNode mv = v.get(m.name());
                        if (mv != null && !mv.isNull()) {
                            obj.set(m.name(), convert(mv, m.shape()));
                        }
                    }
                    return obj;
                }
            }
        }
        throw mismatch(v, s);
    }

    /**
     * Coral reads JSON numbers as a truncating big number: a fraction is cut off; a value out of the
     * member's range cannot be converted.
     */
    private static JsonNode integral(BigDecimal d, Shape s, JsonNode original) {
        BigInteger i = d.toBigInteger();
        if (s.type() == Shape.Type.INTEGER) {
            if (i.bitLength() < 32) {
                return NODES.numberNode(i.intValue());
            }
        } else if (i.bitLength() < 64) {
            return NODES.numberNode(i.longValue());
        }
        throw mismatch(original, s);
    }

    private static JsonNode fromTexts(List<String> values, Shape s) {
        if (s.type() == Shape.Type.LIST) {
            ArrayNode arr = NODES.arrayNode();
            Shape element = s.element().orElseThrow();
            values.forEach(v -> arr.add(fromText(v, element)));
            return arr;
        }
        return fromText(values.get(0), s);
    }

    /** Converts a path label or query value (timestamps in ISO 8601). */
    static JsonNode fromText(String v, Shape s) {
        return fromString(v, s, "iso8601");
    }

    /** Converts a header value (timestamps in RFC 1123, as rest-json sends them in headers). */
    private static JsonNode fromHeader(String v, Shape s) {
        return fromString(v, s, "rfc822");
    }

    private static JsonNode fromString(String v, Shape s, String timestampFormat) {
        try {
            return switch (s.type()) {
                case STRING, BLOB -> NODES.textNode(v);
                case INTEGER -> NODES.numberNode(Integer.parseInt(v.trim()));
                case LONG -> NODES.numberNode(Long.parseLong(v.trim()));
                case FLOAT, DOUBLE -> NODES.numberNode(Double.parseDouble(v.trim()));
                case BOOLEAN -> {
                    if (v.equals("true") || v.equals("false")) {
                        yield NODES.booleanNode(Boolean.parseBoolean(v));
                    }
                    throw textMismatch(s);
                }
                case TIMESTAMP -> NODES.numberNode(parseTimestamp(v, timestampFormat));
                case LIST -> {
                    ArrayNode arr = NODES.arrayNode();
                    arr.add(fromString(v, s.element().orElseThrow(), timestampFormat));
                    yield arr;
                }
                default -> throw textMismatch(s);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw textMismatch(s);
        }
    }

    private static BigDecimal parseTimestamp(String v, String format) {
        return switch (format) {
            case "rfc822" -> BigDecimal.valueOf(ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
            default -> {
                Instant t = OffsetDateTime.parse(v.trim()).toInstant();
                yield BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).stripTrailingZeros();
            }
        };
    }

    private static BindException textMismatch(Shape target) {
        return new BindException(BindException.SERIALIZATION, 400,
                "class java.lang.String can not be converted to an " + javaName(target));
    }

    /**
     * The Coral wording for a JSON value of the wrong type. Objects and arrays get Coral's
     * "Start of ... found where not expected" messages; scalars name the Java class Coral reads them as.
     */
    static BindException mismatch(JsonNode v, Shape target) {
        String message;
        if (v.isObject()) {
            message = "Start of structure or map found where not expected.";
        } else if (v.isArray()) {
            message = "Start of list found where not expected";
        } else {
            String from = v.isTextual() ? "java.lang.String"
                    : v.isBoolean() ? "java.lang.Boolean"
                    : v.isNumber() ? "com.amazon.coral.value.json.numbers.TruncatingBigNumber"
                    : "java.lang.Object";
            message = "class " + from + " can not be converted to an " + javaName(target);
        }
        return new BindException(BindException.SERIALIZATION, 400, message);
    }

    private static String javaName(Shape s) {
        return switch (s.type()) {
            case STRING -> "String";
            case INTEGER -> "Integer";
            case LONG -> "Long";
            case FLOAT -> "Float";
            case DOUBLE -> "Double";
            case BOOLEAN -> "Boolean";
            case TIMESTAMP -> "Date";
            case BLOB -> "ByteBuffer";
            case LIST -> "List";
            case MAP -> "Map";
            case STRUCTURE -> s.name();
        };
    }
}
