package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import io.lamina.core.destinations.DestinationRecord.Condition;
import io.lamina.core.destinations.DestinationRecord.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The expected documents are AWS's published examples, written compactly as AWS sends them:
 * the Lambda developer guide's failed record (invocation-async.html, "Example invocation record")
 * and the success and failure records of the AWS CDK lambda-destinations README.
 */
class InvocationRecordJsonTest {

    @Test
    void toJson_ofTheDeveloperGuideExample_isThatDocumentByteForByte() {
        DestinationRecord record = new DestinationRecord(
                millis("2019-11-14T18:16:05.568Z"),
                "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
                "arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST",
                Condition.RetriesExhausted, 3,
                bytes("""
                        {
                            "ORDER_IDS": [
                                "9e07af03-ce31-4ff3-xmpl-36dce652cb4f",
                                "637de236-e7b2-464e-xmpl-baf57f86bb53",
                                "a81ddca6-2c35-45c7-xmpl-c3a03a31ed15"
                            ]
                        }"""),
                Optional.of(new Response(200, "$LATEST", Optional.of("Unhandled"), bytes(
                        "{\"errorMessage\":\"RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request\"}"))));

        assertThat(record.toJson()).isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2019-11-14T18:16:05.568Z\","
                + "\"requestContext\":{\"requestId\":\"e4b46cbf-b738-xmpl-8880-a18cdf61200e\","
                + "\"functionArn\":\"arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST\","
                + "\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":3},"
                + "\"requestPayload\":{\"ORDER_IDS\":[\"9e07af03-ce31-4ff3-xmpl-36dce652cb4f\","
                + "\"637de236-e7b2-464e-xmpl-baf57f86bb53\",\"a81ddca6-2c35-45c7-xmpl-c3a03a31ed15\"]},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
                + "\"responsePayload\":{\"errorMessage\":\"RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request\"}}");
    }

    @Test
    void toJson_ofTheCdkFailureExample_embedsTheErrorDocumentWithItsStackTrace() {
        DestinationRecord record = new DestinationRecord(
                millis("2019-11-24T21:52:47.333Z"),
                "8ea123e4-1db7-4aca-ad10-d9ca1234c1fd",
                "arn:aws:lambda:sa-east-1:123456678912:function:event-destinations:$LATEST",
                Condition.RetriesExhausted, 3,
                bytes("{\"Success\": false}"),
                Optional.of(new Response(200, "$LATEST", Optional.of("Handled"), bytes("""
                        {"errorMessage": "Failure from event, Success = false, I am failing!",
                         "errorType": "Error",
                         "stackTrace": [ "exports.handler (/var/task/index.js:18:18)" ]}"""))));

        assertThat(record.toJson()).isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2019-11-24T21:52:47.333Z\","
                + "\"requestContext\":{\"requestId\":\"8ea123e4-1db7-4aca-ad10-d9ca1234c1fd\","
                + "\"functionArn\":\"arn:aws:lambda:sa-east-1:123456678912:function:event-destinations:$LATEST\","
                + "\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":3},"
                + "\"requestPayload\":{\"Success\":false},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Handled\"},"
                + "\"responsePayload\":{\"errorMessage\":\"Failure from event, Success = false, I am failing!\","
                + "\"errorType\":\"Error\",\"stackTrace\":[\"exports.handler (/var/task/index.js:18:18)\"]}}");
    }

    @Test
    void toJson_ofASuccess_hasNoFunctionErrorAndAnEmptyResultIsNull() {
        DestinationRecord record = new DestinationRecord(
                millis("2019-11-24T23:08:25.651Z"),
                "c2a6f2ae-7dbb-4d22-8782-d0485c9877e2",
                "arn:aws:lambda:sa-east-1:123456789123:function:event-destinations:$LATEST",
                Condition.Success, 1,
                bytes("{\"Success\": true}"),
                Optional.of(new Response(200, "$LATEST", Optional.empty(), new byte[0])));

        assertThat(record.toJson()).isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2019-11-24T23:08:25.651Z\","
                + "\"requestContext\":{\"requestId\":\"c2a6f2ae-7dbb-4d22-8782-d0485c9877e2\","
                + "\"functionArn\":\"arn:aws:lambda:sa-east-1:123456789123:function:event-destinations:$LATEST\","
                + "\"condition\":\"Success\",\"approximateInvokeCount\":1},"
                + "\"requestPayload\":{\"Success\":true},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\"},"
                + "\"responsePayload\":null}");
    }

    @Test
    void toJson_whenTheFunctionNeverAnswered_leavesOutResponseContextAndPayload() {
        // As AWS recorded it for an event discarded under zero reserved concurrency: count 0, no response.
        DestinationRecord record = new DestinationRecord(
                millis("2024-03-21T12:26:43.000Z"), "r-1",
                "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST",
                Condition.EventAgeExceeded, 0, bytes("{}"), Optional.empty());

        assertThat(record.toJson()).isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2024-03-21T12:26:43.000Z\","
                + "\"requestContext\":{\"requestId\":\"r-1\","
                + "\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST\","
                + "\"condition\":\"EventAgeExceeded\",\"approximateInvokeCount\":0},"
                + "\"requestPayload\":{}}");
    }

    @Test
    void toJson_keepsNumbersAsWrittenAndScalarResultsAsJson() {
        DestinationRecord record = new DestinationRecord(0, "r", "arn:aws:lambda:us-east-1:000000000000:function:f:1",
                Condition.Success, 1, bytes("{\"price\": 1.10, \"big\": 12345678901234567890, \"e\": 1e3}"),
                Optional.of(new Response(200, "1", Optional.empty(), bytes("\"done\"\n"))));

        assertThat(record.toJson())
                .contains("\"timestamp\":\"1970-01-01T00:00:00.000Z\"")
                .contains("\"requestPayload\":{\"price\":1.10,\"big\":12345678901234567890,\"e\":1e3}")
                .endsWith("\"responsePayload\":\"done\"}");
    }

    @Test
    void toJson_ofAResultThatIsNotJson_embedsItsTextAsAString() {
        DestinationRecord record = new DestinationRecord(0, "r", "arn:aws:lambda:us-east-1:000000000000:function:f:1",
                Condition.Success, 1, bytes("{}"),
                Optional.of(new Response(200, "1", Optional.empty(), bytes("plain \"text\" {"))));

        assertThat(record.toJson()).endsWith("\"responsePayload\":\"plain \\\"text\\\" {\"}");
    }

    static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
