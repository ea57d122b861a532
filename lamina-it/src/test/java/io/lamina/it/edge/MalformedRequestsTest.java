package io.lamina.it.edge;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clean AWS-style 4xx: a JSON error body with a type and a message, the
 * {@code x-amzn-ErrorType} header, never a 500 or a stack trace.
 */
class MalformedRequestsTest {
    static LaminaFixture lamina;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        lamina.create("target", Runtime.NODEJS20_X, "index.handler", Functions.node("exports.handler = async (e) => e;"));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(lamina.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertCleanError(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains(type);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.body()).startsWith("{").endsWith("}").doesNotContain("at io.lamina").doesNotContain("Exception:");
        assertThat(r.body()).containsPattern("\"[mM]essage\":\"[^\"]+");
    }

    @Test
    void createFunction_withMalformedJson_isInvalidRequestContent() throws Exception {
        assertCleanError(send("POST", "/2015-03-31/functions", "application/json",
                "{\"FunctionName\": \"x\",".getBytes(StandardCharsets.UTF_8)), 400, "InvalidRequestContentException");
    }

    @Test
    void createFunction_withWrongJsonTypes_isSerializationError() throws Exception {
        assertCleanError(send("POST", "/2015-03-31/functions", "application/json",
                "{\"FunctionName\": \"x\", \"MemorySize\": \"lots\"}".getBytes(StandardCharsets.UTF_8)), 400, "SerializationException");
    }

    @Test
    void createFunction_withFormContentType_isUnsupportedMediaType() throws Exception {
        assertCleanError(send("POST", "/2015-03-31/functions", "application/x-www-form-urlencoded",
                "FunctionName=x".getBytes(StandardCharsets.UTF_8)), 415, "UnsupportedMediaTypeException");
    }

    @Test
    void createFunction_withHugeBody_isRequestEntityTooLarge() throws Exception {
        byte[] huge = new byte[71 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        var r = send("POST", "/2015-03-31/functions", "application/json", huge);
        assertCleanError(r, 413, "RequestEntityTooLargeException");
        assertThat(r.body()).contains("Request must be smaller than 70167211 bytes for the CreateFunction operation");
    }

    @Test
    void invoke_withPayloadOverSixMegabytes_isRequestEntityTooLarge() throws Exception {
        byte[] big = ("\"" + "a".repeat(6 * 1024 * 1024) + "\"").getBytes(StandardCharsets.UTF_8);
        var r = send("POST", "/2015-03-31/functions/target/invocations", "application/json", big);
        assertCleanError(r, 413, "RequestEntityTooLargeException");
        assertThat(r.body()).contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    }

    @Test
    void invoke_withNonJsonPayload_isInvalidRequestContent() throws Exception {
        assertCleanError(send("POST", "/2015-03-31/functions/target/invocations", "application/octet-stream",
                "not json".getBytes(StandardCharsets.UTF_8)), 400, "InvalidRequestContentException");
    }

    @Test
    void invoke_withBinaryGarbage_isInvalidRequestContent() throws Exception {
        assertCleanError(send("POST", "/2015-03-31/functions/target/invocations", null,
                new byte[]{(byte) 0x99, 0x00, (byte) 0xff}), 400, "InvalidRequestContentException");
    }

    @Test
    void invoke_withUnknownInvocationType_isValidationError() throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(lamina.endpoint() + "/2015-03-31/functions/target/invocations"))
                .header("X-Amz-Invocation-Type", "Sometimes")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertCleanError(r, 400, "ValidationException");
        assertThat(r.body()).contains("Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set");
    }

    @Test
    void unknownPath_isNotFound() throws Exception {
        assertCleanError(send("GET", "/2015-03-31/nothing-here", null, null), 404, "UnknownOperationException");
        assertCleanError(send("GET", "/", null, null), 404, "UnknownOperationException");
    }

    @Test
    void wrongMethod_isMethodNotAllowed() throws Exception {
        var r = send("PATCH", "/2015-03-31/functions/target/invocations", null, null);
        assertCleanError(r, 405, "MethodNotAllowedException");
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void listFunctions_withNonNumericMaxItems_isSerializationError() throws Exception {
        assertCleanError(send("GET", "/2015-03-31/functions/?MaxItems=abc", null, null), 400, "SerializationException");
    }

    @Test
    void functionNameWithIllegalCharacters_isValidationError() throws Exception {
        var r = send("GET", "/2015-03-31/functions/bad%20name!", null, null);
        assertCleanError(r, 400, "ValidationException");
    }

    @Test
    void afterAllThat_theServerStillServes() throws Exception {
        var r = send("POST", "/2015-03-31/functions/target/invocations", null, "{\"ok\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ok\":1}");
    }
}
