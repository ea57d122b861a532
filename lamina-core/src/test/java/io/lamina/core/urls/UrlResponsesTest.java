package io.lamina.core.urls;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Payload 2.0's response rules, with the cases AWS recorded for function URLs (test_lambda_url_invocation). */
class UrlResponsesTest {

    @Test
    void fromPayload_whenBareValues_answers200JsonWithTheValueAsBody() {
        assertBody("{\"hello\": \"world\"}", "{\"hello\":\"world\"}");
        assertBody("\"hello\"", "hello");
        assertBody("3", "3");
        assertBody("3.1", "3.1");
        assertBody("true", "true");
        assertBody("[\"hello\", 3, true]", "[\"hello\",3,true]");
    }

    @Test
    void fromPayload_whenStatusCodeIsPresent_readsTheResponseDescription() {
        UrlResponse r = UrlResponses.fromPayload(bytes("""
                {"statusCode": "418", "headers": {"X-Custom": "v", "n": 1}, "cookies": ["a=1", "b=2; Max-Age=5"],
                 "body": "aGk=", "isBase64Encoded": true}"""));
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "application/json"), Map.entry("X-Custom", "v"),
                Map.entry("n", "1"));
        assertThat(r.cookies()).containsExactly("a=1", "b=2; Max-Age=5");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void fromPayload_whenTheFunctionSetsContentType_keepsIt() {
        UrlResponse r = UrlResponses.fromPayload(bytes("{\"statusCode\":201,\"headers\":{\"content-type\":\"text/html\"},\"body\":\"<p>\"}"));
        assertThat(r.headers()).containsExactly(Map.entry("content-type", "text/html"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<p>");
    }

    @Test
    void fromPayload_whenNotJsonOrBadStatus_isMalformed() {
        assertThatThrownBy(() -> UrlResponses.fromPayload(bytes("not json")))
                .isInstanceOf(UrlResponses.MalformedResponseException.class);
        assertThatThrownBy(() -> UrlResponses.fromPayload(bytes("{\"statusCode\":\"abc\"}")))
                .isInstanceOf(UrlResponses.MalformedResponseException.class);
    }

    private static void assertBody(String payload, String body) {
        UrlResponse r = UrlResponses.fromPayload(bytes(payload));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsExactly(Map.entry("Content-Type", "application/json"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
