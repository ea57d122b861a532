package io.lamina.it.urls;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeMode;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function URLs with InvokeMode RESPONSE_STREAM: the http-integration-response prelude becomes the status,
 * headers and cookies, body bytes reach a plain HTTP client while the function is still running, CORS
 * headers go out with them, and a function that does not stream answers by the buffered rules.
 */
class FunctionUrlStreamingTest {
    static LaminaFixture lamina;
    static final HttpClient http = HttpClient.newHttpClient();
    static final java.util.Map<String, String> urls = new java.util.HashMap<>();

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        lamina.create("url-prelude", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream = awslambda.HttpResponseStream.from(responseStream, {
                    statusCode: 201,
                    headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' },
                    cookies: ['a=1; Path=/', 'b=2'],
                  });
                  responseStream.write('early|');
                  await new Promise((r) => setTimeout(r, 1000));
                  responseStream.end('late');
                });
                """));
        lamina.create("url-plain", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.setContentType('text/csv');
                  responseStream.end('a,b\\n1,2\\n');
                });
                """));
        lamina.create("url-fails", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = awslambda.streamifyResponse(async () => { throw new Error('before any byte'); });
                """));
        lamina.create("url-buffered", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async () => ({ statusCode: 202, headers: { 'X-Buffered': 'yes' }, body: 'whole' });
                """));
        for (String name : new String[] {"url-prelude", "url-plain", "url-fails", "url-buffered"}) {
            urls.put(name, lamina.lambda().createFunctionUrlConfig(r -> r.functionName(name)
                    .authType(FunctionUrlAuthType.NONE).invokeMode(InvokeMode.RESPONSE_STREAM)
                    .cors(c -> c.allowOrigins("*"))).functionUrl());
            lamina.lambda().addPermission(p -> p.functionName(name).statementId("public")
                    .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        }
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private static URI uri(String name) {
        return UrlHttp.pathForm(lamina.endpoint(), urls.get(name), "/");
    }

    @Test
    void prelude_becomesStatusHeadersAndCookies_andTheBodyStreams() throws Exception {
        long sent = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri("url-prelude")).header("Origin", "https://example.com").build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(r.headers().firstValue("X-Custom")).contains("yes");
        assertThat(r.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.headers().firstValue("Transfer-Encoding")).contains("chunked");
        try (InputStream body = r.body()) {
            byte[] first = body.readNBytes(6);
            long firstAt = System.nanoTime();
            byte[] rest = body.readAllBytes();
            long lastAt = System.nanoTime();
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("early|");
            assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo("late");
            assertThat((lastAt - firstAt) / 1_000_000).as("the first bytes came before the function slept")
                    .isGreaterThanOrEqualTo(800);
            assertThat((firstAt - sent) / 1_000_000).isLessThan(lastAt - sent);
        }
    }

    @Test
    void streamWithoutPrelude_isA200WithTheStreamsContentType() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("url-plain")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/csv");
        assertThat(r.body()).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void failureBeforeAnyByte_answers502AsABufferedUrlWould() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("url-fails")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("Internal Server Error");
    }

    @Test
    void functionThatDoesNotStream_answersByTheBufferedRules() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("url-buffered")).header("Origin", "https://example.com").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("X-Buffered")).contains("yes");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(r.body()).isEqualTo("whole");
    }
}
