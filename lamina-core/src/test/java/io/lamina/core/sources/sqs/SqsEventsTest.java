package io.lamina.core.sources.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SqsEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SdkBytes b64(String s) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(s));
    }

    /** The message the golden sample event was made from, as the SDK's ReceiveMessage returns it. */
    private static Message goldenMessage() {
        return Message.builder()
                .messageId("MessageID_1")
                .receiptHandle("MessageReceiptHandle")
                .body("Message Body")
                .md5OfBody("fce0ea8dd236ccb3ed9b37dae260836f")
                .md5OfMessageAttributes("582c92c5c5b6ac403040a4f3ab3115c9")
                .attributesWithStrings(Map.of(
                        "ApproximateReceiveCount", "2",
                        "SentTimestamp", "1520621625029",
                        "SenderId", "AROAIWPX5BD2BHG722MW4:sender",
                        "ApproximateFirstReceiveTimestamp", "1520621634884"))
                .messageAttributes(Map.of(
                        "Attribute3", MessageAttributeValue.builder().binaryValue(b64("MTEwMA=="))
                                .stringListValues("abc", "123")
                                .binaryListValues(b64("MA=="), b64("MQ=="), b64("MA==")).dataType("Binary").build(),
                        "Attribute2", MessageAttributeValue.builder().stringValue("123")
                                .binaryListValues(b64("MQ=="), b64("MA==")).dataType("Number").build(),
                        "Attribute1", MessageAttributeValue.builder().stringValue("AttributeValue1")
                                .dataType("String").build()))
                .build();
    }

    @Test
    void record_fromAReceivedMessage_isAwsSampleSqsEvent() throws Exception {
        JsonNode golden = JSON.readTree(Path.of(System.getProperty("lamina.golden.events"), "sqs-event.json").toFile());
        JsonNode built = SqsEvents.event(List.of(goldenMessage()), "arn:aws:sqs:us-west-2:123456789012:SQSQueue",
                "us-west-2");
        assertThat(built).isEqualTo(golden);
    }

    @Test
    void record_membersComeInLambdasOrder_andSystemAttributesFirstAsLambdaListsThem() {
        Message m = Message.builder().messageId("m").receiptHandle("h").body("{}").md5OfBody("x")
                .attributesWithStrings(Map.of("MessageGroupId", "g", "SentTimestamp", "1", "ApproximateReceiveCount", "1",
                        "SenderId", "s", "ApproximateFirstReceiveTimestamp", "2", "SequenceNumber", "9"))
                .build();
        JsonNode r = SqsEvents.record(m, "arn:aws:sqs:us-east-1:000000000000:q.fifo", "us-east-1");
        assertThat(fieldNames(r)).containsExactly("messageId", "receiptHandle", "body", "attributes",
                "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion");
        assertThat(fieldNames(r.get("attributes"))).containsExactly("ApproximateReceiveCount", "SentTimestamp",
                "SenderId", "ApproximateFirstReceiveTimestamp", "MessageGroupId", "SequenceNumber");
        assertThat(r.get("messageAttributes").isEmpty()).isTrue();
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:sqs");
    }

    private static List<String> fieldNames(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
