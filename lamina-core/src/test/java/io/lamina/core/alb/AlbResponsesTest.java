package io.lamina.core.alb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlbResponsesTest {
    private static byte[] golden() throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("lamina.golden.events"), "alb-lambda-target-response.json"));
    }

    private static AlbResponse parse(String json, boolean multi) {
        return AlbResponses.parse(json.getBytes(StandardCharsets.UTF_8), multi);
    }

    @Test
    void parse_awsSample_withMultiValueHeadersOff_usesHeaders() throws Exception {
        AlbResponse r = AlbResponses.parse(golden(), false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.headers()).containsExactly(Map.entry("Server", "awselb/2.0"), Map.entry("Set-cookie", "cookies"),
                Map.entry("Content-Type", "application/json"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("Hello from Lambda");
    }

    @Test
    void parse_awsSample_withMultiValueHeadersOn_usesMultiValueHeaders() throws Exception {
        AlbResponse r = AlbResponses.parse(golden(), true);
        assertThat(r.headers()).containsExactly(Map.entry("Server", "awselb/2.0"),
                Map.entry("Set-cookie", "cookie-name=cookie-value;Domain=myweb.com;Secure;HttpOnly"),
                Map.entry("Set-cookie", "cookie-name=cookie-value;Expires=May 8, 2019"),
                Map.entry("Content-Type", "application/json"));
    }

    @Test
    void parse_base64Body_isDecoded_andStatusDescriptionGivesTheReason() {
        AlbResponse r = parse("{\"statusCode\":418,\"statusDescription\":\"418 Short And Stout\","
                + "\"isBase64Encoded\":true,\"body\":\"AP8B\"}", false);
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.reason()).isEqualTo("Short And Stout");
        assertThat(r.body()).containsExactly(0, 0xff, 1);
    }

    @Test
    void parse_withoutBodyOrHeaders_isEmpty() {
        AlbResponse r = parse("{\"statusCode\":204}", false);
        assertThat(r.body()).isEmpty();
        assertThat(r.reason()).isEqualTo("No Content");
        assertThat(r.headers()).containsExactly(Map.entry("Server", "awselb/2.0"));
    }

    @Test
    void parse_dropsFramingHeadersTheLoadBalancerOwns() {
        AlbResponse r = parse("{\"statusCode\":200,\"headers\":{\"Content-Length\":\"999\",\"X-A\":\"1\"},\"body\":\"x\"}",
                false);
        assertThat(r.headers()).containsExactly(Map.entry("Server", "awselb/2.0"), Map.entry("X-A", "1"));
    }

    @Test
    void parse_functionsServerHeader_replacesTheLoadBalancers() {
        AlbResponse r = parse("{\"statusCode\":200,\"headers\":{\"Server\":\"mine\"}}", false);
        assertThat(r.headers()).containsExactly(Map.entry("Server", "mine"));
    }

    @Test
    void parse_malformedAnswers_areRejected() {
        for (String bad : List.of("not json", "\"just a string\"", "[]", "{}", "{\"statusCode\":\"200\"}",
                "{\"statusCode\":99}", "{\"statusCode\":200,\"headers\":{\"A\":true}}",
                "{\"statusCode\":200,\"headers\":[]}", "{\"statusCode\":200,\"body\":{}}",
                "{\"statusCode\":200,\"isBase64Encoded\":\"yes\"}",
                "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"@@@\"}")) {
            assertThatThrownBy(() -> parse(bad, false)).as(bad)
                    .isInstanceOf(AlbResponses.MalformedResponseException.class);
        }
        assertThatThrownBy(() -> parse("{\"statusCode\":200,\"multiValueHeaders\":{\"A\":\"1\"}}", true))
                .isInstanceOf(AlbResponses.MalformedResponseException.class);
    }

    @Test
    void errorPage_isAlbsHtml() {
        AlbResponse r = AlbErrors.page(502);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.headers()).contains(Map.entry("Server", "awselb/2.0"), Map.entry("Content-Type", "text/html"));
        assertThat(new String(r.body(), StandardCharsets.US_ASCII))
                .contains("<head><title>502 Bad Gateway</title></head>")
                .contains("<center><h1>502 Bad Gateway</h1></center>");
        assertThat(new String(AlbErrors.page(504).body(), StandardCharsets.US_ASCII)).contains("504 Gateway Time-out");
    }
}
