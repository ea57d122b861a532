package io.lamina.it.alb;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.alb.AlbHealthCheck;
import io.lamina.core.alb.AlbListener;
import io.lamina.core.alb.AlbTarget;
import io.lamina.core.alb.AlbTargetGroup;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import io.lamina.it.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ALB listeners end to end: Lamina configured with listeners and target groups, functions created and
 * granted with the AWS SDK and the AWS CLI, requests made with Java's HttpClient and curl.
 */
class AlbTargetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINCIPAL = "elasticloadbalancing.amazonaws.com";

    /** Echoes the event; query parameters ask for failures, delays, malformed or large answers. */
    private static final String ECHO = """
            exports.handler = async (event) => {
              const q = event.queryStringParameters || {};
              const mq = event.multiValueQueryStringParameters || {};
              const get = (k) => q[k] !== undefined ? q[k] : (mq[k] ? mq[k][mq[k].length - 1] : undefined);
              if (get('fail')) throw new Error('asked to fail');
              if (get('sleep')) await new Promise(r => setTimeout(r, Number(get('sleep'))));
              if (get('malformed')) return {statusCode: 'two hundred'};
              if (get('big')) return {statusCode: 200, isBase64Encoded: false, body: 'x'.repeat(Number(get('big')))};
              if (get('binary')) return {statusCode: 200, isBase64Encoded: true, body: event.body,
                headers: {'Content-Type': 'application/octet-stream'},
                multiValueHeaders: {'Content-Type': ['application/octet-stream']}};
              return {statusCode: 200, statusDescription: '200 OK', isBase64Encoded: false,
                headers: {'Content-Type': 'application/json', 'X-Mode': 'single'},
                multiValueHeaders: {'Content-Type': ['application/json'], 'X-Mode': ['multi'], 'Set-Cookie': ['a=1', 'b=2']},
                body: JSON.stringify(event)};
            };
            """;

    /** Health: the configured path answers HEALTH_STATUS; any other path is served normally. */
    private static final String HEALTH = """
            exports.handler = async (event) => {
              const ua = (event.headers || {})['user-agent'];
              if (event.path === '/health') {
                return {statusCode: ua === 'ELB-HealthChecker/2.0' ? Number(process.env.HEALTH_STATUS || '200') : 400};
              }
              return {statusCode: 200, body: 'routed'};
            };
            """;

    private static LaminaFixture lamina;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        AlbHealthCheck health = AlbHealthCheck.lambdaDefaults().withEnabled(true).withPath("/health")
                .withTiming(Duration.ofMillis(300), Duration.ofSeconds(5)).withThresholds(2, 2);
        lamina = LaminaFixture.start(c -> c.withAlbListeners(List.of(
                AlbListener.of(0, AlbTargetGroup.of("echo", "alb-echo")),
                AlbListener.of(0, AlbTargetGroup.of("echo-mv", "alb-echo").withMultiValueHeaders(true)),
                AlbListener.of(0, AlbTargetGroup.of("java", "alb-java")),
                AlbListener.of(0, AlbTargetGroup.of("java-mv", "alb-java").withMultiValueHeaders(true)),
                AlbListener.of(0, AlbTargetGroup.of("nogrant", "alb-nogrant")),
                AlbListener.of(0, AlbTargetGroup.of("alias", "alb-echo:live")),
                AlbListener.of(0, AlbTargetGroup.of("slow", "alb-echo")).withIdleTimeout(Duration.ofSeconds(1)),
                AlbListener.of(0, AlbTargetGroup.of("fn-timeout", "alb-short")),
                AlbListener.of(0, AlbTargetGroup.of("health", "alb-health").withHealthCheck(health)))));
        lamina.create("alb-echo", Runtime.NODEJS22_X, "index.handler", Functions.node(ECHO));
        lamina.create(r -> r.functionName("alb-short").runtime(Runtime.NODEJS22_X).handler("index.handler").timeout(1)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Functions.node(ECHO)))));
        lamina.create("alb-nogrant", Runtime.NODEJS22_X, "index.handler", Functions.node(ECHO));
        lamina.create("alb-health", Runtime.NODEJS22_X, "index.handler", Functions.node(HEALTH));
        lamina.create(r -> r.functionName("alb-java").runtime(Runtime.JAVA21)
                .handler("io.lamina.testfunctions.AlbEventHandler::handleRequest").memorySize(512).timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Functions.javaWithEvents()))));
        for (String[] grant : new String[][]{{"alb-echo", "echo"}, {"alb-echo", "echo-mv"}, {"alb-echo", "slow"},
                {"alb-java", "java"}, {"alb-java", "java-mv"}, {"alb-short", "fn-timeout"}, {"alb-health", "health"}}) {
            grant(grant[0], grant[1]);
        }
    }

    @AfterAll
    static void stop() {
        if (lamina != null) {
            lamina.close();
        }
    }

    private static AlbTarget target(String name) {
        return lamina.server().core().albTargets().byName(name).orElseThrow();
    }

    private static String url(String name, String pathAndQuery) {
        return "http://127.0.0.1:" + target(name).boundPort() + pathAndQuery;
    }

    private static void grant(String function, String targetGroup) {
        lamina.lambda().addPermission(r -> r.functionName(function).statementId("elb-" + targetGroup)
                .action("lambda:InvokeFunction").principal(PRINCIPAL).sourceArn(target(targetGroup).arn())
                .sourceAccount("000000000000"));
    }

    private static HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String url, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** curl -i: the status line, the header lines and the body. */
    private record Curl(String statusLine, List<String> headers, String body) {
        List<String> header(String name) {
            return headers.stream().filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(h -> h.substring(name.length() + 1).trim()).toList();
        }
    }

    private static Curl curl(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "60"));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(70, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        int split = out.indexOf("\r\n\r\n");
        List<String> lines = List.of(out.substring(0, split).split("\r\n"));
        return new Curl(lines.getFirst(), lines.subList(1, lines.size()), out.substring(split + 4));
    }

    private static void assertAlbErrorPage(HttpResponse<byte[]> r, int status, String line) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Server")).contains("awselb/2.0");
        assertThat(r.headers().firstValue("Content-Type")).contains("text/html");
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).contains("<title>" + line + "</title>")
                .contains("<h1>" + line + "</h1>");
    }

    @Test
    void singleValueHeaders_nodeTarget_getsAlbsEvent_lastValueWins() throws Exception {
        var r = get(url("echo", "/items/a%20b?x=1&x=2&enc=caf%C3%A9&flag"), "X-Dup", "one", "X-Dup", "two",
                "X-Forwarded-For", "10.1.2.3");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Server")).contains("awselb/2.0");
        assertThat(r.headers().allValues("X-Mode")).containsExactly("single");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        JsonNode e = json(r);
        assertThat(e.at("/requestContext/elb/targetGroupArn").asText()).isEqualTo(target("echo").arn())
                .matches("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/echo/[0-9a-f]{16}");
        assertThat(e.get("httpMethod").asText()).isEqualTo("GET");
        assertThat(e.get("path").asText()).isEqualTo("/items/a%20b");
        assertThat(e.get("queryStringParameters")).isEqualTo(JSON.readTree("{\"x\":\"2\",\"enc\":\"caf%C3%A9\",\"flag\":\"\"}"));
        JsonNode h = e.get("headers");
        assertThat(h.get("x-dup").asText()).isEqualTo("two");
        assertThat(h.get("host").asText()).isEqualTo("127.0.0.1:" + target("echo").boundPort());
        assertThat(h.get("x-forwarded-for").asText()).isEqualTo("10.1.2.3, 127.0.0.1");
        assertThat(h.get("x-forwarded-port").asText()).isEqualTo(Integer.toString(target("echo").boundPort()));
        assertThat(h.get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(h.get("x-amzn-trace-id").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}");
        var names = new ArrayList<String>();
        h.fieldNames().forEachRemaining(names::add);
        assertThat(names).isSorted().allMatch(n -> n.equals(n.toLowerCase()));
        assertThat(e.has("multiValueHeaders")).isFalse();
        assertThat(e.has("multiValueQueryStringParameters")).isFalse();
        assertThat(e.get("body").asText()).isEmpty();
        assertThat(e.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void multiValueHeaders_withCurl_sendsEveryValue_andAnswersWithMultiValueHeaders() throws Exception {
        Curl c = curl("-H", "X-Dup: one", "-H", "X-Dup: two", url("echo-mv", "/p?x=1&x=2&y=3"));
        assertThat(c.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(c.header("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(c.header("X-Mode")).containsExactly("multi");
        assertThat(c.header("Server")).containsExactly("awselb/2.0");
        JsonNode e = JSON.readTree(c.body());
        assertThat(e.get("multiValueQueryStringParameters"))
                .isEqualTo(JSON.readTree("{\"x\":[\"1\",\"2\"],\"y\":[\"3\"]}"));
        assertThat(e.at("/multiValueHeaders/x-dup")).isEqualTo(JSON.readTree("[\"one\",\"two\"]"));
        assertThat(e.at("/multiValueHeaders/user-agent/0").asText()).startsWith("curl/");
        assertThat(e.has("headers")).isFalse();
        assertThat(e.has("queryStringParameters")).isFalse();
        assertThat(e.at("/requestContext/elb/targetGroupArn").asText()).isEqualTo(target("echo-mv").arn());
    }

    @Test
    void bodies_textTypesArriveAsText_binaryAsBase64_andBase64AnswersAreDecoded() throws Exception {
        JsonNode text = json(post(url("echo", "/t"), "application/json; charset=utf-8",
                "{\"é\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(text.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(text.get("body").asText()).isEqualTo("{\"é\":1}");
        assertThat(text.get("isBase64Encoded").asBoolean()).isFalse();

        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        JsonNode bin = json(post(url("echo", "/b"), "application/octet-stream", binary));
        assertThat(bin.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(bin.get("body").asText())).isEqualTo(binary);

        var echoed = post(url("echo", "/b?binary=1"), "image/png", binary);
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(echoed.body()).isEqualTo(binary);
    }

    @Test
    void javaHandler_withTypedEvents_seesEveryField_singleValue() throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create(url("java", "/orders/7?a=1&a=2&b=x")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain").header("X-Custom", "v")
                .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(r.headers().allValues("Set-Cookie")).containsExactly("single=1");
        JsonNode seen = json(r);
        assertThat(seen.get("targetGroupArn").asText()).isEqualTo(target("java").arn());
        assertThat(seen.get("httpMethod").asText()).isEqualTo("PUT");
        assertThat(seen.get("path").asText()).isEqualTo("/orders/7");
        assertThat(seen.get("queryStringParameters")).isEqualTo(JSON.readTree("{\"a\":\"2\",\"b\":\"x\"}"));
        assertThat(seen.at("/headers/x-custom").asText()).isEqualTo("v");
        assertThat(seen.at("/headers/content-type").asText()).isEqualTo("text/plain");
        assertThat(seen.at("/headers/x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(seen.get("multiValueHeaders").isNull()).isTrue();
        assertThat(seen.get("multiValueQueryStringParameters").isNull()).isTrue();
        assertThat(seen.get("body").asText()).isEqualTo("hello");
        assertThat(seen.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void javaHandler_withTypedEvents_seesEveryField_multiValue() throws Exception {
        Curl c = curl("-X", "POST", "-H", "Content-Type: application/octet-stream", "--data-binary", "\u0001bin",
                url("java-mv", "/m?k=1&k=2"));
        assertThat(c.statusLine()).isEqualTo("HTTP/1.1 201 Created");
        assertThat(c.header("Set-Cookie")).containsExactly("a=1; Path=/", "b=2; Path=/");
        JsonNode seen = JSON.readTree(c.body());
        assertThat(seen.get("targetGroupArn").asText()).isEqualTo(target("java-mv").arn());
        assertThat(seen.get("httpMethod").asText()).isEqualTo("POST");
        assertThat(seen.get("multiValueQueryStringParameters")).isEqualTo(JSON.readTree("{\"k\":[\"1\",\"2\"]}"));
        assertThat(seen.at("/multiValueHeaders/content-type/0").asText()).isEqualTo("application/octet-stream");
        assertThat(seen.get("headers").isNull()).isTrue();
        assertThat(seen.get("queryStringParameters").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(seen.get("body").asText()))
                .isEqualTo("\u0001bin".getBytes(StandardCharsets.UTF_8));
        assertThat(seen.get("isBase64Encoded").asBoolean()).isTrue();
    }

    @Test
    void functionError_malformedAnswer_andTooLargeAnswer_are502() throws Exception {
        assertAlbErrorPage(get(url("echo", "/?fail=1")), 502, "502 Bad Gateway");
        assertAlbErrorPage(get(url("echo", "/?malformed=1")), 502, "502 Bad Gateway");
        assertThat(get(url("echo", "/?big=1000000")).statusCode()).isEqualTo(200);
        assertAlbErrorPage(get(url("echo", "/?big=1048600")), 502, "502 Bad Gateway");
    }

    @Test
    void requestBodyOver1MB_is413_and1MBExactlyIsForwarded() throws Exception {
        byte[] oneMb = new byte[1_048_576];
        Arrays.fill(oneMb, (byte) 'a');
        assertThat(post(url("echo", "/?big=3"), "text/plain", oneMb).statusCode()).isEqualTo(200);
        byte[] over = Arrays.copyOf(oneMb, oneMb.length + 1);
        assertAlbErrorPage(post(url("echo", "/?big=3"), "text/plain", over), 413, "413 Request Entity Too Large");
    }

    @Test
    void idleTimeoutBeforeTheFunctionAnswers_is504_functionTimeout_is502() throws Exception {
        long t0 = System.nanoTime();
        assertAlbErrorPage(get(url("slow", "/?sleep=2500")), 504, "504 Gateway Time-out");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2400));
        // alb-short has a 1 s function timeout, shorter than the listener's 60 s idle timeout.
        assertAlbErrorPage(get(url("fn-timeout", "/?sleep=3000")), 502, "502 Bad Gateway");
    }

    @Test
    void missingPermission_is502AndLogged_untilTheRightSourceArnIsGranted_withTheAwsCli() throws Exception {
        var log = new ListAppender<ILoggingEvent>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(AlbTarget.class);
        logger.addAppender(log);
        try {
            assertAlbErrorPage(get(url("nogrant", "/")), 502, "502 Bad Gateway");
            assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("ALB target group nogrant may not invoke function alb-nogrant")
                    .contains("--principal elasticloadbalancing.amazonaws.com")
                    .contains("--source-arn " + target("nogrant").arn()));
            // A grant for another target group does not cover this one (aws:SourceArn condition).
            lamina.lambda().addPermission(r -> r.functionName("alb-nogrant").statementId("other-tg")
                    .action("lambda:InvokeFunction").principal(PRINCIPAL).sourceArn(target("echo").arn()));
            assertAlbErrorPage(get(url("nogrant", "/")), 502, "502 Bad Gateway");
            awsCli("lambda", "add-permission", "--function-name", "alb-nogrant", "--statement-id", "elb",
                    "--principal", PRINCIPAL, "--action", "lambda:InvokeFunction",
                    "--source-arn", target("nogrant").arn(), "--source-account", "000000000000");
            var ok = get(url("nogrant", "/"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(json(ok).at("/requestContext/elb/targetGroupArn").asText()).isEqualTo(target("nogrant").arn());
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void aliasTarget_needsAGrantOnTheAlias_notOnTheFunction() throws Exception {
        var version = lamina.lambda().publishVersion(r -> r.functionName("alb-echo"));
        lamina.lambda().createAlias(r -> r.functionName("alb-echo").name("live").functionVersion(version.version()));
        // alb-echo itself is granted for other target groups only; the alias has no policy yet.
        assertAlbErrorPage(get(url("alias", "/")), 502, "502 Bad Gateway");
        lamina.lambda().addPermission(r -> r.functionName("alb-echo").qualifier("live").statementId("elb-alias")
                .action("lambda:InvokeFunction").principal(PRINCIPAL).sourceArn(target("alias").arn()));
        assertThat(get(url("alias", "/")).statusCode()).isEqualTo(200);
    }

    @Test
    void webSocketUpgrade_isRejectedWith400() throws Exception {
        Curl c = curl("-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", url("echo", "/ws"));
        assertThat(c.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(c.header("Server")).containsExactly("awselb/2.0");
        assertThat(c.body()).contains("<h1>400 Bad Request</h1>");
    }

    @Test
    void mainPort_servesEachTargetGroupUnderAlbPrefix() throws Exception {
        var r = get(lamina.endpoint() + "/_alb/echo/deep/path?q=1");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode e = json(r);
        assertThat(e.get("path").asText()).isEqualTo("/deep/path");
        assertThat(e.at("/queryStringParameters/q").asText()).isEqualTo("1");
        assertThat(e.at("/headers/x-forwarded-port").asText()).isEqualTo(Integer.toString(lamina.server().port()));
        assertThat(e.at("/requestContext/elb/targetGroupArn").asText()).isEqualTo(target("echo").arn());
        assertThat(get(lamina.endpoint() + "/_alb/nosuch/").statusCode()).isEqualTo(404);
    }

    @Test
    void healthChecks_goHealthyUnhealthyHealthy_andRequestsAreRoutedWhileUnhealthy() throws Exception {
        awaitHealth("healthy");
        JsonNode status = healthStatus();
        assertThat(status.get("HealthCheckPath").asText()).isEqualTo("/health");
        assertThat(status.at("/Matcher/HttpCode").asText()).isEqualTo("200");
        assertThat(status.get("TargetType").asText()).isEqualTo("lambda");

        setHealthStatus("503");
        awaitHealth("unhealthy");
        assertThat(healthStatus().at("/TargetHealth/Reason").asText()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(healthStatus().at("/TargetHealth/Description").asText())
                .isEqualTo("Health checks failed with these codes: [503]");
        // Every target of the group is unhealthy, so ALB fails open and still routes.
        var routed = get(url("health", "/work"));
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(new String(routed.body(), StandardCharsets.UTF_8)).isEqualTo("routed");

        setHealthStatus("200");
        awaitHealth("healthy");
        JsonNode disabled = lamina.server().core().albTargets().byName("echo").map(t -> {
            try {
                return JSON.readTree(lamina.server().core().albTargets().statusJson());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).orElseThrow();
        assertThat(disabled.get("TargetGroups")).anySatisfy(g -> {
            assertThat(g.get("TargetGroupName").asText()).isEqualTo("echo");
            assertThat(g.at("/TargetHealth/State").asText()).isEqualTo("unavailable");
            assertThat(g.at("/TargetHealth/Reason").asText()).isEqualTo("Target.HealthCheckDisabled");
        });
    }

    private static void setHealthStatus(String status) {
        lamina.lambda().updateFunctionConfiguration(r -> r.functionName("alb-health")
                .environment(e -> e.variables(Map.of("HEALTH_STATUS", status))));
        lamina.awaitReady("alb-health");
    }

    private static JsonNode healthStatus() throws Exception {
        var r = get(lamina.endpoint() + "/_lamina/alb");
        assertThat(r.statusCode()).isEqualTo(200);
        for (JsonNode g : json(r).get("TargetGroups")) {
            if (g.get("TargetGroupName").asText().equals("health")) {
                return g;
            }
        }
        throw new AssertionError("no target group 'health' in " + new String(r.body(), StandardCharsets.UTF_8));
    }

    private static void awaitHealth(String state) {
        Waits.await("target group 'health' " + state, Duration.ofSeconds(30), () -> {
            try {
                return healthStatus().at("/TargetHealth/State").asText().equals(state);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awsCli(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", lamina.endpoint(), "--output", "json"));
        cmd.addAll(Arrays.asList(args));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Path empty = Files.createTempFile("aws", ".cfg");
        pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_PAGER", "", "AWS_CONFIG_FILE", empty.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", empty.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(JSON.readTree(out).get("Statement").asText()).contains(PRINCIPAL);
    }
}
