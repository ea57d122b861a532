package io.lamina.core.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResponseBodiesTest {
    /** A head longer than the 256 bytes Helidon reserves, as the Runtime API's are. */
    private static final String LONG_HEADER = "x".repeat(400);
    private static WebServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = WebServer.builder().port(0).routing(r -> r.get("/{n}", (req, res) -> {
            int n = Integer.parseInt(req.path().pathParameters().get("n"));
            res.header(HeaderNames.create("X-Long"), LONG_HEADER);
            ResponseBodies.send(res, body(n));
        })).build().start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void bodiesOfEverySizeArriveWholeWithTheirLengthAndHeaders() throws Exception {
        // Around the threshold, and large; the same connection is reused, so a body that ran over its
        // Content-Length would corrupt the next answer.
        for (int n : new int[] {0, 1, 255, ResponseBodies.DIRECT_FROM - 1, ResponseBodies.DIRECT_FROM,
                ResponseBodies.DIRECT_FROM + 1, 300_000, 6 * 1024 * 1024}) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + server.port() + "/" + n)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals(String.valueOf(n), r.headers().firstValue("content-length").orElseThrow(), "size " + n);
            assertEquals(LONG_HEADER, r.headers().firstValue("x-long").orElseThrow());
            assertArrayEquals(body(n), r.body(), "size " + n);
        }
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
