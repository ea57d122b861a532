package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.util.Arrays;
import java.util.HexFormat;

import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invoke's payload limits and checks: 6 MB request and response, JSON only, an empty payload is {}. */
class PayloadLimitTest {
    static final int MAX_REQUEST = 6_291_456;
    static final int MAX_RESPONSE = 6_291_556;
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        // Answers the length of a string event, a string of event.size characters, or the event itself.
        Invokes.create(lamina, b -> b.functionName("sized").runtime(Runtime.NODEJS20_X).handler("index.handler").memorySize(512)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                        exports.handler = async (e) => typeof e === 'string' ? e.length
                          : e.size !== undefined ? 'x'.repeat(e.size) : e;
                        """)))));
        Invokes.create(lamina, "sized-python", Runtime.PYTHON3_12, "handler.handler",
                Functions.python("def handler(event, context):\n    return 'x' * event['size']\n"));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    /** A JSON string document of exactly {@code bytes} bytes. */
    private static SdkBytes jsonString(int bytes) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 'a');
        b[0] = '"';
        b[bytes - 1] = '"';
        return SdkBytes.fromByteArray(b);
    }

    @Test
    void invoke_withRequestOfExactly6MB_runs() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("sized").payload(jsonString(MAX_REQUEST)));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo(Integer.toString(MAX_REQUEST - 2));
    }

    // AWS answers x-amzn-ErrorType RequestEntityTooLargeException, which the SDK does not model (its
    // RequestTooLargeException has another code): the SDK raises a plain LambdaException with status 413.

    @Test
    void invoke_withRequestOver6MB_isRejectedWith413() {
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("sized").payload(jsonString(MAX_REQUEST + 1))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
                });
    }

    @Test
    void invokeEvent_withRequestOver1MB_isRejectedWith413() {
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("sized")
                .invocationType(InvocationType.EVENT).payload(jsonString(1_048_577))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Request must be smaller than 1048576 bytes for the InvokeFunction operation");
                });
    }

    @Test
    void invoke_whenResponseIsExactlyAtTheLimit_returnsIt() {
        // A JSON string of MAX_RESPONSE - 2 characters is MAX_RESPONSE bytes.
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("sized")
                .payload(SdkBytes.fromUtf8String("{\"size\":" + (MAX_RESPONSE - 2) + "}")));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asByteArray()).hasSize(MAX_RESPONSE);
    }

    @Test
    void invoke_whenResponseIsOver6MB_returnsResponseSizeTooLarge() {
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaBaseFeatures::test_lambda_too_large_response")
                .get("invoke_result");
        for (String name : new String[] {"sized", "sized-python"}) {
            InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(name)
                    .payload(SdkBytes.fromUtf8String("{\"size\":" + (MAX_RESPONSE - 1) + "}")));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isEqualTo(recorded.get("FunctionError").asText());
            assertThat(r.executedVersion()).isEqualTo("$LATEST");
            assertThat(json(r)).isEqualTo(recorded.get("Payload"));
            // The environment survives; the next invocation answers normally.
            InvokeResponse next = lamina.lambda().invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{\"size\":3}")));
            assertThat(next.payload().asUtf8String()).isEqualTo("\"xxx\"");
        }
    }

    @Test
    void invoke_withNonJsonPayload_isRejectedAsAwsDoes() {
        // The first payload of AWS's recorded test_lambda_invoke_payload_encoding_error, byte for byte.
        JsonNode recorded = golden("test_lambda.snapshot.json",
                "TestLambdaErrors::test_lambda_invoke_payload_encoding_error[body-n\\x87r\\x9e\\xe9\\xb5\\xd7I\\xee\\x9bmt]")
                .get("invoke_function_invalid_payload_body");
        byte[] payload = HexFormat.of().parseHex("6e87729ee9b5d749ee9b6d74");
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("sized").payload(SdkBytes.fromByteArray(payload))))
                .isInstanceOfSatisfying(InvalidRequestContentException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(recorded.get("Error").get("Code").asText());
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(recorded.get("message").asText());
                });
        // The second one: AWS's Jackson (like 2.16 to 2.21) reported "Unexpected character ((CTRL-CHAR, code 153))" at
        // column 1; Jackson 2.23, which Lamina uses, reports the byte as invalid UTF-8. Same type, same form.
        byte[] second = HexFormat.of().parseHex("99eb2c6a07a17a5968");
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("sized").payload(SdkBytes.fromByteArray(second))))
                .isInstanceOfSatisfying(InvalidRequestContentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Could not parse request body into json: Could not parse payload into json: "
                                + "Invalid UTF-8 start byte 0x99\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
                                + " disabled); line: 1, column: 2]"));
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("sized").payload(SdkBytes.fromUtf8String("not json"))))
                .isInstanceOfSatisfying(InvalidRequestContentException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("Could not parse request body into json: Could not parse payload into json: "
                                + "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
                                + "'null', 'true' or 'false')\n at [Source: REDACTED"));
    }

    @Test
    void invoke_withEmptyPayload_passesAnEmptyObject() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName("sized"));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo("{}");
        InvokeResponse p = lamina.lambda().invoke(b -> b.functionName("sized-python").payload(SdkBytes.fromUtf8String("")));
        assertThat(p.functionError()).isEqualTo("Unhandled"); // event['size'] of {} raises KeyError
        assertThat(json(p).get("errorType").asText()).isEqualTo("KeyError");
    }
}
