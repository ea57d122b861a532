package io.lamina.core.urls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL event against AWS's documented sample (golden events/lambda-urls-request.json). */
class UrlEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2020-03-12T19:03:58.390Z");

    @Test
    void build_whenSigned_matchesAwsShape() throws Exception {
        var req = new UrlRequest("POST", "/my/path", "parameter1=value1&parameter1=value2&parameter2=value",
                List.of(Map.entry("Header1", "value1"), Map.entry("header2", "value1"), Map.entry("Header2", "value2"),
                        Map.entry("Cookie", "cookie1; cookie2"), Map.entry("User-Agent", "agent"),
                        Map.entry("Content-Type", "text/plain")),
                "Hello from client!".getBytes(StandardCharsets.UTF_8), "123.123.123.123", "HTTP/1.1");
        JsonNode e = JSON.readTree(UrlEvents.build(req, "urlid", "urlid.lambda-url.us-east-1.localhost", "123456789012",
                Optional.of(new UrlEvents.Caller("AKIA", "111122223333", "arn:aws:iam::111122223333:user/example-user",
                        "AIDA")), "id", NOW));
        assertThat(e.path("version").asText()).isEqualTo("2.0");
        assertThat(e.path("routeKey").asText()).isEqualTo("$default");
        assertThat(e.path("rawQueryString").asText()).isEqualTo("parameter1=value1&parameter1=value2&parameter2=value");
        assertThat(e.path("cookies").toString()).isEqualTo("[\"cookie1\",\"cookie2\"]");
        assertThat(e.path("headers").path("header1").asText()).isEqualTo("value1");
        assertThat(e.path("headers").path("header2").asText()).isEqualTo("value1,value2");
        assertThat(e.path("headers").has("cookie")).isFalse();
        assertThat(e.path("queryStringParameters").toString())
                .isEqualTo("{\"parameter1\":\"value1,value2\",\"parameter2\":\"value\"}");
        JsonNode ctx = e.path("requestContext");
        assertThat(ctx.path("accountId").asText()).isEqualTo("123456789012");
        assertThat(ctx.path("apiId").asText()).isEqualTo("urlid");
        assertThat(ctx.path("domainPrefix").asText()).isEqualTo("urlid");
        assertThat(ctx.path("authorizer").path("iam").path("userArn").asText())
                .isEqualTo("arn:aws:iam::111122223333:user/example-user");
        assertThat(ctx.path("http").path("method").asText()).isEqualTo("POST");
        assertThat(ctx.path("http").path("sourceIp").asText()).isEqualTo("123.123.123.123");
        assertThat(ctx.path("http").path("userAgent").asText()).isEqualTo("agent");
        assertThat(ctx.path("time").asText()).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(ctx.path("timeEpoch").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(ctx.path("stage").asText()).isEqualTo("$default");
        assertThat(e.path("body").asText()).isEqualTo("Hello from client!");
        assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void build_whenAnonymousWithBinaryBody_base64EncodesAndReportsAnonymous() throws Exception {
        byte[] body = {0, 1, 2, (byte) 0xff};
        var req = new UrlRequest("PUT", "/", "", List.of(Map.entry("content-type", "application/octet-stream")), body,
                "127.0.0.1", "HTTP/1.1");
        JsonNode e = JSON.readTree(UrlEvents.build(req, "u", "d", "000000000000", Optional.empty(), "id", NOW));
        assertThat(e.path("requestContext").path("accountId").asText()).isEqualTo("anonymous");
        assertThat(e.path("requestContext").has("authorizer")).isFalse();
        assertThat(e.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(e.path("body").asText()).isEqualTo("AAEC/w==");
        assertThat(e.has("queryStringParameters")).isFalse();
        assertThat(e.has("cookies")).isFalse();
    }

    @Test
    void build_whenNoBody_leavesBodyOut() throws Exception {
        var req = new UrlRequest("GET", "/", "", List.of(), new byte[0], "127.0.0.1", "HTTP/1.1");
        JsonNode e = JSON.readTree(UrlEvents.build(req, "u", "d", "000000000000", Optional.empty(), "id", NOW));
        assertThat(e.has("body")).isFalse();
        assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
    }
}
