package io.lamina.core.urls;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CorsHeadersTest {
    private static final UrlConfig.Cors CORS = new UrlConfig.Cors(Optional.of(true), Optional.of(List.of("x-custom")),
            Optional.of(List.of("GET", "POST")), Optional.of(List.of("https://app.example")),
            Optional.of(List.of("x-total")), Optional.of(300));

    @Test
    void preflight_whenOriginMethodAndHeadersAllowed_answersAllowHeaders() {
        var req = request("OPTIONS", "https://app.example", Map.entry("Access-Control-Request-Method", "POST"),
                Map.entry("Access-Control-Request-Headers", "X-Custom"));
        assertThat(CorsHeaders.isPreflight(req)).isTrue();
        assertThat(CorsHeaders.preflight(CORS, req)).containsExactly(
                Map.entry("Access-Control-Allow-Origin", "https://app.example"),
                Map.entry("Access-Control-Allow-Methods", "GET,POST"),
                Map.entry("Access-Control-Allow-Headers", "x-custom"),
                Map.entry("Access-Control-Max-Age", "300"),
                Map.entry("Access-Control-Allow-Credentials", "true"),
                Map.entry("Vary", "Origin"));
    }

    @Test
    void preflight_whenOriginOrMethodNotAllowed_answersNoCorsHeaders() {
        assertThat(CorsHeaders.preflight(CORS, request("OPTIONS", "https://evil.example",
                Map.entry("Access-Control-Request-Method", "GET")))).isEmpty();
        assertThat(CorsHeaders.preflight(CORS, request("OPTIONS", "https://app.example",
                Map.entry("Access-Control-Request-Method", "DELETE")))).isEmpty();
    }

    @Test
    void response_whenOriginAllowed_addsOriginExposeAndCredentials() {
        assertThat(CorsHeaders.response(CORS, request("GET", "https://app.example"))).containsExactly(
                Map.entry("Access-Control-Allow-Origin", "https://app.example"),
                Map.entry("Access-Control-Expose-Headers", "x-total"),
                Map.entry("Access-Control-Allow-Credentials", "true"),
                Map.entry("Vary", "Origin"));
        assertThat(CorsHeaders.response(CORS, request("GET", "https://other.example"))).isEmpty();
    }

    @Test
    void response_whenAllOriginsWithoutCredentials_answersStar() {
        var any = new UrlConfig.Cors(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(List.of("*")),
                Optional.empty(), Optional.empty());
        assertThat(CorsHeaders.response(any, request("GET", "https://x.example")))
                .contains(Map.entry("Access-Control-Allow-Origin", "*"));
    }

    @SafeVarargs
    private static UrlRequest request(String method, String origin, Map.Entry<String, String>... extra) {
        var headers = new java.util.ArrayList<Map.Entry<String, String>>();
        headers.add(Map.entry("Origin", origin));
        headers.addAll(List.of(extra));
        return new UrlRequest(method, "/", "", headers, new byte[0], "127.0.0.1", "HTTP/1.1");
    }
}
