package io.lamina.core.sources.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One source kind's data-key rules.
 *
 * @param dataKey where the record's data is
 * @param base64 whether the event carries the data base64-encoded
 * @param dataPatternMustBeJson whether a plain-string pattern on the data key is refused
 * @param envelope the object of the record that patterns apply to (Kinesis: {@code kinesis})
 */
record DataKeySource(Optional<String> dataKey, boolean base64, boolean dataPatternMustBeJson,
                     Optional<String> envelope) implements FilterSource {

    // Numbers kept exactly as written: EventBridge compares them by value, not by double rounding.
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Override
    public FilterSubject subject(String recordJson) {
        JsonNode root;
        try {
            root = JSON.readTree(recordJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record is not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode record)) {
            throw new IllegalArgumentException("record is not a JSON object");
        }
        ObjectNode subject = envelope.map(record::get)
                .filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast)
                .orElse(record);
        if (dataKey.isEmpty()) {
            return new FilterSubject(subject, DataFormat.ABSENT);
        }
        String key = dataKey.get();
        JsonNode data = subject.get(key);
        if (data == null || data.isNull()) {
            return new FilterSubject(subject, DataFormat.ABSENT);
        }
        if (data.isContainerNode()) {
            return new FilterSubject(subject, DataFormat.JSON);
        }
        if (!data.isTextual()) {
            return new FilterSubject(subject, DataFormat.PLAIN);
        }
        String text = base64 ? decodeUtf8(data.textValue()).orElse(data.textValue()) : data.textValue();
        Optional<JsonNode> parsed = parseContainer(text);
        subject.set(key, parsed.orElse(TextNode.valueOf(text)));
        return new FilterSubject(subject, parsed.isPresent() ? DataFormat.JSON : DataFormat.PLAIN);
    }

    /** Lambda treats data as JSON when it is an object or an array; a bare "42" stays a string. */
    private static Optional<JsonNode> parseContainer(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(trimmed));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Kafka and MQ messages must be UTF-8 (AWS); anything else is left base64-encoded. */
    private static Optional<String> decodeUtf8(String base64Text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64Text);
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
