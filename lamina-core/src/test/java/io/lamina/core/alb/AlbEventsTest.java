package io.lamina.core.alb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlbEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg";

    /** The request curl sent in AWS's recorded sample, headers in the order curl and ALB put them. */
    private static AlbRequest goldenRequest(String traceId, String forwardedFor) {
        return new AlbRequest("GET", "/", "key=hello", List.of(
                Map.entry("Host", List.of("lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com")),
                Map.entry("User-Agent", List.of("curl/7.54.0")),
                Map.entry("Accept", List.of("*/*")),
                Map.entry("X-MyHeader", List.of("123")),
                Map.entry("X-Amzn-Trace-Id", List.of(traceId)),
                Map.entry("X-Forwarded-For", List.of(forwardedFor)),
                Map.entry("X-Forwarded-Proto", List.of("http")),
                Map.entry("X-Forwarded-Port", List.of("80")),
                Map.entry("Connection", List.of("keep-alive")),
                Map.entry("X-Imforwards", List.of("20"))), new byte[0]);
    }

    private static JsonNode golden(String file) throws Exception {
        return JSON.readTree(Path.of(System.getProperty("lamina.golden.events"), file).toFile());
    }

    @Test
    void request_withSingleValueHeaders_isAwsSampleEvent() throws Exception {
        JsonNode golden = golden("alb-lambda-target-request-headers-only.json");
        byte[] event = AlbEvents.request(goldenRequest("Root=1-5c34e93e-4dea0086f9763ac0667b115a", "25.12.198.67"),
                ARN, false);
        JsonNode mine = JSON.readTree(event);
        assertThat(mine).isEqualTo(golden);
        // Same field order as AWS's, header names sorted.
        assertThat(new String(event, StandardCharsets.UTF_8))
                .isEqualTo(JSON.writeValueAsString(golden));
    }

    @Test
    void request_withMultiValueHeaders_isAwsSampleEvent() throws Exception {
        JsonNode golden = golden("alb-lambda-target-request-multivalue-headers.json");
        var req = goldenRequest("Root=1-5c34e7d4-00ca239424b68028d4c56d68", "72.21.198.67");
        var headers = new java.util.ArrayList<>(req.headers());
        headers.set(0, Map.entry("Host", List.of("lambda-test-alb-1234567.us-east-1.elb.amazonaws.com")));
        req = new AlbRequest("GET", "/", "key=hello", headers, new byte[0]);
        String arn = golden.at("/requestContext/elb/targetGroupArn").asText();
        assertThat(JSON.readTree(AlbEvents.request(req, arn, true))).isEqualTo(golden);
    }

    @Test
    void request_whenHeadersAndParametersRepeat_singleValueKeepsTheLast_multiValueKeepsAll() throws Exception {
        var req = new AlbRequest("GET", "/a%20b", "k=1&k=2&x=caf%C3%A9&flag&&e=", List.of(
                Map.entry("X-Dup", List.of("first", "second"))), new byte[0]);
        JsonNode single = JSON.readTree(AlbEvents.request(req, ARN, false));
        assertThat(single.get("path").asText()).isEqualTo("/a%20b");
        assertThat(single.get("queryStringParameters")).isEqualTo(JSON.readTree(
                "{\"k\":\"2\",\"x\":\"caf%C3%A9\",\"flag\":\"\",\"e\":\"\"}"));
        assertThat(single.get("headers").get("x-dup").asText()).isEqualTo("second");
        assertThat(single.has("multiValueHeaders")).isFalse();

        JsonNode multi = JSON.readTree(AlbEvents.request(req, ARN, true));
        assertThat(multi.get("multiValueQueryStringParameters")).isEqualTo(JSON.readTree(
                "{\"k\":[\"1\",\"2\"],\"x\":[\"caf%C3%A9\"],\"flag\":[\"\"],\"e\":[\"\"]}"));
        assertThat(multi.get("multiValueHeaders").get("x-dup")).isEqualTo(JSON.readTree("[\"first\",\"second\"]"));
        assertThat(multi.has("headers")).isFalse();
        assertThat(multi.has("queryStringParameters")).isFalse();
    }

    @Test
    void request_withoutQuery_sendsEmptyParameters() throws Exception {
        var req = new AlbRequest("GET", "/", "", List.of(), new byte[0]);
        assertThat(JSON.readTree(AlbEvents.request(req, ARN, false)).get("queryStringParameters")).isEmpty();
        assertThat(JSON.readTree(AlbEvents.request(req, ARN, true)).get("multiValueQueryStringParameters")).isEmpty();
    }

    @Test
    void request_body_isTextForTextTypes_andBase64Otherwise() throws Exception {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("application/json", "text/plain; charset=utf-8", "application/xml",
                "application/javascript", "TEXT/HTML")) {
            JsonNode e = JSON.readTree(AlbEvents.request(post(type, null, json), ARN, false));
            assertThat(e.get("body").asText()).as(type).isEqualTo("{\"a\":1}");
            assertThat(e.get("isBase64Encoded").asBoolean()).as(type).isFalse();
        }
        byte[] binary = {0, (byte) 0xff, 1, 2};
        for (String type : new String[]{"application/octet-stream", "image/png", null}) {
            JsonNode e = JSON.readTree(AlbEvents.request(post(type, null, binary), ARN, false));
            assertThat(Base64.getDecoder().decode(e.get("body").asText())).as(String.valueOf(type)).isEqualTo(binary);
            assertThat(e.get("isBase64Encoded").asBoolean()).isTrue();
        }
        JsonNode gzipped = JSON.readTree(AlbEvents.request(post("application/json", "gzip", json), ARN, false));
        assertThat(gzipped.get("isBase64Encoded").asBoolean()).isTrue();
    }

    @Test
    void healthCheck_isGetWithTheHealthCheckerUserAgent() throws Exception {
        JsonNode e = JSON.readTree(AlbEvents.healthCheck(ARN, "/ping?deep=1", false));
        assertThat(e).isEqualTo(JSON.readTree("""
                {"requestContext":{"elb":{"targetGroupArn":"%s"}},"httpMethod":"GET","path":"/ping",
                 "queryStringParameters":{"deep":"1"},"headers":{"user-agent":"ELB-HealthChecker/2.0"},
                 "body":"","isBase64Encoded":false}""".formatted(ARN)));
        JsonNode multi = JSON.readTree(AlbEvents.healthCheck(ARN, "/", true));
        assertThat(((ObjectNode) multi.get("multiValueHeaders")).get("user-agent").get(0).asText())
                .isEqualTo("ELB-HealthChecker/2.0");
    }

    private static AlbRequest post(String type, String encoding, byte[] body) {
        var headers = new java.util.ArrayList<Map.Entry<String, List<String>>>();
        if (type != null) {
            headers.add(Map.entry("Content-Type", List.of(type)));
        }
        if (encoding != null) {
            headers.add(Map.entry("Content-Encoding", List.of(encoding)));
        }
        return new AlbRequest("POST", "/", "", headers, body);
    }
}
