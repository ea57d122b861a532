package io.lamina.core.sources.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.core.errors.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFilterTest {

    private static String sqsRecord(String body) {
        return """
                {"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEB",
                 "body":%s,"attributes":{"ApproximateReceiveCount":"1"},"messageAttributes":{},
                 "md5OfBody":"e4e68fb7","eventSource":"aws:sqs",
                 "eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:q","awsRegion":"us-east-1"}
                """.formatted(quote(body));
    }

    private static String kafkaRecord(String value) {
        return """
                {"topic":"mytopic","partition":0,"offset":15,"timestamp":1545084650987,
                 "timestampType":"CREATE_TIME","value":"%s","headers":[]}
                """.formatted(base64(value));
    }

    private static String kinesisRecord(String data) {
        return """
                {"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"1","sequenceNumber":"4959",
                 "data":"%s","approximateArrivalTimestamp":1545084650.987},
                 "eventSource":"aws:kinesis","eventName":"aws:kinesis:record"}
                """.formatted(base64(data));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void sqs_jsonBody_isMatchedByItsFields() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(),
                List.of("{\"body\":{\"RequestCode\":[\"BBBB\"]}}"));

        assertThat(filter.matches(sqsRecord("{\"RecordNumber\":1234,\"RequestCode\":\"BBBB\"}"))).isTrue();
        assertThat(filter.matches(sqsRecord("{\"RecordNumber\":1234,\"RequestCode\":\"AAAA\"}"))).isFalse();
    }

    @Test
    void sqs_plainBody_isMatchedAsAString() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(), List.of("{\"body\":[{\"prefix\":\"ORDER\"}]}"));

        assertThat(filter.matches(sqsRecord("ORDER 42"))).isTrue();
        assertThat(filter.matches(sqsRecord("REFUND 42"))).isFalse();
    }

    @Test
    void sqs_jsonPatternOnPlainBody_dropsTheRecord() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(),
                List.of("{\"body\":{\"missing\":[{\"exists\":false}]}}"));

        assertThat(filter.matches(sqsRecord("just text"))).isFalse();
        assertThat(filter.matches(sqsRecord("{\"other\":1}"))).isTrue();
    }

    @Test
    void sqs_plainPatternOnJsonBody_dropsTheRecord() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(),
                List.of("{\"body\":[{\"anything-but\":\"error\"}]}"));

        assertThat(filter.matches(sqsRecord("{\"a\":1}"))).isFalse();
        assertThat(filter.matches(sqsRecord("fine"))).isTrue();
    }

    @Test
    void sqs_metadataPattern_appliesWhateverTheBody() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(),
                List.of("{\"attributes\":{\"ApproximateReceiveCount\":[\"1\"]}}"));

        assertThat(filter.matches(sqsRecord("plain"))).isTrue();
        assertThat(filter.matches(sqsRecord("{\"json\":true}"))).isTrue();
    }

    @Test
    void kafka_base64JsonValue_isDecodedAndParsed() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kafka(),
                List.of("{\"value\":{\"device_ID\":[{\"prefix\":\"AB\"}]}}"));

        assertThat(filter.matches(kafkaRecord("{\"device_ID\":\"AB1234\",\"session\":{\"duration\":162}}"))).isTrue();
        assertThat(filter.matches(kafkaRecord("{\"device_ID\":\"CD1234\"}"))).isFalse();
    }

    @Test
    void kafka_nonJsonValue_isMatchedAsTheDecodedString() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kafka(),
                List.of("{\"value\":[{\"anything-but\":[\"error\"]}]}"));

        assertThat(filter.matches(kafkaRecord("Hello, this is a test."))).isTrue();
        assertThat(filter.matches(kafkaRecord("error"))).isFalse();
    }

    @Test
    void kafka_jsonPatternOnNonJsonValue_dropsTheRecord() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kafka(),
                List.of("{\"value\":{\"device_ID\":[{\"exists\":false}]}}"));

        assertThat(filter.matches(kafkaRecord("not json"))).isFalse();
    }

    @Test
    void kafka_subject_leavesMetadataAsItIs() {
        FilterSource.FilterSubject subject = FilterSource.kafka().subject(kafkaRecord("{\"n\":1}"));

        assertThat(subject.dataFormat()).isEqualTo(FilterSource.DataFormat.JSON);
        assertThat(subject.json().get("value").get("n").asInt()).isEqualTo(1);
        assertThat(subject.json().get("topic").asText()).isEqualTo("mytopic");
        assertThat(subject.json().get("offset").asLong()).isEqualTo(15);
    }

    @Test
    void mq_base64Data_isDecoded() {
        RecordFilter filter = RecordFilter.compile(FilterSource.mq(), List.of("{\"data\":{\"kind\":[\"alarm\"]}}"));
        String message = "{\"messageID\":\"ID:1\",\"messageType\":\"jms/text-message\",\"data\":\"%s\"}";

        assertThat(filter.matches(message.formatted(base64("{\"kind\":\"alarm\"}")))).isTrue();
        assertThat(filter.matches(message.formatted(base64("{\"kind\":\"info\"}")))).isFalse();
    }

    @Test
    void kinesis_patternsApplyToTheKinesisObject_withDataDecoded() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kinesis(),
                List.of("{\"partitionKey\":[\"1\"],\"data\":{\"order\":{\"type\":[\"buy\"]}}}"));

        assertThat(filter.matches(kinesisRecord("{\"record\":12345,\"order\":{\"type\":\"buy\"}}"))).isTrue();
        assertThat(filter.matches(kinesisRecord("{\"record\":12345,\"order\":{\"type\":\"sell\"}}"))).isFalse();
        assertThat(filter.matches(kinesisRecord("buy"))).isFalse();
    }

    @Test
    void kinesis_decodedNumbers_compareByValue() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kinesis(),
                List.of("{\"data\":{\"Temperature\":[{\"numeric\":[\">\",50,\"<=\",60]}]}}"));

        assertThat(filter.matches(kinesisRecord("{\"Temperature\":55.5}"))).isTrue();
        assertThat(filter.matches(kinesisRecord("{\"Temperature\":6.0e1}"))).isTrue();
        assertThat(filter.matches(kinesisRecord("{\"Temperature\":60.01}"))).isFalse();
    }

    @Test
    void record_thatIsNotAJsonObject_isRefused() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(), List.of("{\"body\":[\"x\"]}"));

        assertThatThrownBy(() -> filter.matches("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> filter.matches("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kinesis_nonJsonData_isFilteredOnMetadataOnly() {
        RecordFilter filter = RecordFilter.compile(FilterSource.kinesis(), List.of("{\"partitionKey\":[\"1\"]}"));

        assertThat(filter.matches(kinesisRecord("not json at all"))).isTrue();
    }

    @Test
    void kinesisAndDynamodb_refusePlainPatternsOnTheDataKey() {
        assertThatThrownBy(() -> RecordFilter.compile(FilterSource.kinesis(), List.of("{\"data\":[\"x\"]}")))
                .isInstanceOf(InvalidFilterPatternException.class);
        assertThatThrownBy(() -> RecordFilter.compile(FilterSource.dynamodbStreams(), List.of("{\"dynamodb\":[\"x\"]}")))
                .isInstanceOf(InvalidFilterPatternException.class);
    }

    @Test
    void dynamodb_matchesEventNameAndNestedImage() {
        RecordFilter filter = RecordFilter.compile(FilterSource.dynamodbStreams(),
                List.of("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"Keys\":{\"Id\":{\"N\":[\"101\"]}}}}"));
        String record = """
                {"eventID":"1","eventName":"%s","eventSource":"aws:dynamodb",
                 "dynamodb":{"Keys":{"Id":{"N":"101"}},"SequenceNumber":"111","SizeBytes":26}}
                """;

        assertThat(filter.matches(record.formatted("INSERT"))).isTrue();
        assertThat(filter.matches(record.formatted("REMOVE"))).isFalse();
    }

    @Test
    void severalFilters_areOred() {
        RecordFilter filter = RecordFilter.compile(FilterSource.sqs(), List.of(
                "{\"body\":{\"RequestCode\":[\"AAAA\"]}}",
                "{\"body\":{\"RecordNumber\":[{\"numeric\":[\">\",1000]}]}}",
                "{\"body\":[\"ping\"]}"));

        assertThat(filter.matches(sqsRecord("{\"RequestCode\":\"AAAA\",\"RecordNumber\":1}"))).isTrue();
        assertThat(filter.matches(sqsRecord("{\"RequestCode\":\"BBBB\",\"RecordNumber\":1234}"))).isTrue();
        assertThat(filter.matches(sqsRecord("ping"))).isTrue();
        assertThat(filter.matches(sqsRecord("{\"RequestCode\":\"BBBB\",\"RecordNumber\":1}"))).isFalse();
        assertThat(filter.matches(sqsRecord("pong"))).isFalse();
    }

    @Test
    void noFilters_matchEverything() {
        assertThat(RecordFilter.compile(List.of()).matches("{\"a\":1}")).isTrue();
        assertThat(RecordFilter.compile(FilterSource.sqs(), List.of()).matches(sqsRecord("x"))).isTrue();
        assertThat(RecordFilter.matchAll().matches("{}")).isTrue();
    }

    @Test
    void invalidPattern_isRefusedAsInvalidParameterValue() {
        for (String bad : List.of("not json", "", "[1]", "{\"a\":\"no list\"}", "{\"a\":[{\"prefix\":1}]}")) {
            assertThatThrownBy(() -> RecordFilter.compile(FilterSource.sqs(), List.of("{\"body\":[\"ok\"]}", bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidFilterPatternException.class, e -> {
                        assertThat(e.type()).isEqualTo(ErrorType.InvalidParameterValueException);
                        assertThat(e.type().status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("Invalid filter pattern definition.");
                        assertThat(e.detail()).isNotBlank();
                    });
        }
    }
}
