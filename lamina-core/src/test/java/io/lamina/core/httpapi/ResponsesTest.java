package io.lamina.core.httpapi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void v2_bareStringOrObjectWithoutStatusCode_is200Json() {
        var s = Responses.v2(b("\"hi\""), "rid").orElseThrow();
        assertThat(s.status()).isEqualTo(200);
        assertThat(new String(s.body(), StandardCharsets.UTF_8)).isEqualTo("\"hi\"");
        assertThat(s.headers()).contains(Map.entry("Content-Type", "application/json"), Map.entry("apigw-requestid", "rid"));
        var o = Responses.v2(b("{\"a\":1}"), "rid").orElseThrow();
        assertThat(new String(o.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void v2_structuredResponse_appliesHeadersCookiesAndBase64Body() {
        var r = Responses.v2(b("{\"statusCode\":418,\"headers\":{\"X-A\":\"1\",\"X-N\":2},\"multiValueHeaders\":{\"X-M\":[\"a\",\"b\"]},"
                + "\"cookies\":[\"c=1\",\"d=2\"],\"body\":\"aGk=\",\"isBase64Encoded\":true}"), "rid").orElseThrow();
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.headers()).contains(Map.entry("X-A", "1"), Map.entry("X-N", "2"), Map.entry("X-M", "a"),
                Map.entry("X-M", "b"), Map.entry("Set-Cookie", "c=1"), Map.entry("Set-Cookie", "d=2"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void malformedAnswers_areEmpty_soTheGatewayAnswers500() {
        assertThat(Responses.v2(b("not json"), "r")).isEmpty();
        assertThat(Responses.v2(b("{\"statusCode\":\"abc\"}"), "r")).isEmpty();
        assertThat(Responses.v2(b("{\"statusCode\":200,\"body\":{\"x\":1}}"), "r")).isEmpty();
        assertThat(Responses.v2(b("{\"statusCode\":200,\"body\":\"%%\",\"isBase64Encoded\":true}"), "r")).isEmpty();
        assertThat(Responses.v1(b("\"hi\""), "r")).isEmpty();
        assertThat(Responses.v1(b("{\"body\":\"x\"}"), "r")).isEmpty();
        assertThat(Responses.v1(b("{\"statusCode\":\"200\"}"), "r")).isEmpty();
    }

    @Test
    void v1_structuredResponse_appliesMultiValueHeaders() {
        var r = Responses.v1(b("{\"statusCode\":201,\"headers\":{\"A\":\"x\"},\"multiValueHeaders\":{\"A\":[\"y\",\"z\"]},\"body\":\"ok\"}"),
                "rid").orElseThrow();
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.headers()).contains(Map.entry("A", "y"), Map.entry("A", "z")).doesNotContain(Map.entry("A", "x"));
    }
}
