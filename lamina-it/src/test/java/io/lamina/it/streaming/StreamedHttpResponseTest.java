package io.lamina.it.streaming;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import io.lamina.server.streaming.StreamedHttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The piece function URLs stream through, behind a bare route (the URL front door is built elsewhere):
 * the http-integration-response prelude becomes the status, headers and cookies, and body bytes reach a
 * plain HTTP client while the function is still running.
 */
class StreamedHttpResponseTest {
    static LaminaFixture lamina;
    static WebServer door;
    static final HttpClient http = HttpClient.newHttpClient();

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
        var invoker = lamina.server().core().invoker();
        door = WebServer.builder().host("127.0.0.1").port(0)
                .routing(HttpRouting.builder().get("/{name}", (req, res) -> {
                    var out = new StreamedHttpResponse(res, Map.of("Access-Control-Allow-Origin", "*"));
                    var result = invoker.invokeStreaming(InvokeRequest.sync(req.path().pathParameters().get("name"),
                            "{}".getBytes(StandardCharsets.UTF_8)), out);
                    if (!out.finish(result)) {
                        res.status(502).send("{\"Message\":\"Internal Server Error\"}");
                    }
                }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (door != null) {
            door.stop();
        }
        lamina.close();
    }

    private static URI uri(String name) {
        return URI.create("http://127.0.0.1:" + door.port() + "/" + name);
    }

    @Test
    void prelude_becomesStatusHeadersAndCookies_andTheBodyStreams() throws Exception {
        long sent = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri("url-prelude")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(r.headers().firstValue("X-Custom")).contains("yes");
        assertThat(r.headers().allValues("Set-Cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
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
    void failureBeforeAnyByte_leavesTheAnswerToTheCaller() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("url-fails")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"Message\":\"Internal Server Error\"}");
    }
}
