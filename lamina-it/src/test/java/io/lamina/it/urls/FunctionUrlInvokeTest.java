package io.lamina.it.urls;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.SourceResources;
import io.lamina.core.urls.SigningCredential;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.lamina.it.urls.UrlHttp.json;
import static io.lamina.it.urls.UrlHttp.pathForm;
import static io.lamina.it.urls.UrlHttp.send;
import static io.lamina.it.urls.UrlHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function URLs end to end: URLs created with SDK v2, called with Java's HttpClient (path form) and
 * curl (host form): the event, payload 2.0's response rules, binary and large bodies, AuthType NONE
 * with and without the policy statement, AWS_IAM with SDK-signed, unsigned and badly signed requests,
 * CORS, function errors, timeouts and alias URLs.
 */
class FunctionUrlInvokeTest {
    private static final SigningCredential SAME = new SigningCredential("AKIDSAMEACCOUNT", "same-secret",
            "arn:aws:iam::000000000000:user/dev");
    private static final SigningCredential OTHER = new SigningCredential("AKIDOTHERACCOUNT", "other-secret",
            "arn:aws:iam::222222222222:user/partner");
    /** One Python function for most cases; {@code ?mode=} picks what it does. */
    static final byte[] URL_FN = Functions.python("""
            import base64, json, os, time

            def handler(event, context):
                mode = (event.get("queryStringParameters") or {}).get("mode", "echo")
                if mode == "return":
                    return json.loads(event["body"])
                if mode == "binary":
                    return {"statusCode": 200, "headers": {"Content-Type": "application/octet-stream"},
                            "body": event["body"], "isBase64Encoded": event["isBase64Encoded"]}
                if mode == "raise":
                    raise Exception("boom")
                if mode == "sleep":
                    time.sleep(5)
                    return "late"
                if mode == "cors":
                    return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "https://function.example"},
                            "body": "from the function"}
                return {"event": event, "requestId": context.aws_request_id,
                        "version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"]}
            """);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    static LaminaFixture lamina;
    static LambdaClient lambda;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start(c -> c.withSources(new SourceResources(Map.of(), Map.of(), List.of(SAME, OTHER))));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    // ---------------------------------------------------------------- the event

    @Test
    void event_whenAuthTypeNoneIsPermitted_isTheUrlPayload() {
        String url = publicUrl(fn("url-event", 3));
        HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url,
                        "/custom_path/extend?test_param=test_value&multi=a&multi=b%20c"),
                "text".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain", "Cookie", "c1=v1; c2=v2", "User-Agent", "url-test/1",
                        "X-Custom", "one"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(r);
        JsonNode e = body.path("event");
        assertThat(e.path("version").asText()).isEqualTo("2.0");
        assertThat(e.path("routeKey").asText()).isEqualTo("$default");
        assertThat(e.path("rawPath").asText()).isEqualTo("/custom_path/extend");
        assertThat(e.path("rawQueryString").asText()).isEqualTo("test_param=test_value&multi=a&multi=b%20c");
        assertThat(e.path("queryStringParameters").path("multi").asText()).isEqualTo("a,b c");
        assertThat(e.path("cookies").toString()).isEqualTo("[\"c1=v1\",\"c2=v2\"]");
        assertThat(e.path("headers").path("x-custom").asText()).isEqualTo("one");
        assertThat(e.path("headers").path("user-agent").asText()).isEqualTo("url-test/1");
        assertThat(e.path("headers").has("cookie")).isFalse();
        assertThat(e.path("headers").path("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(e.path("headers").path("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(e.path("headers").path("x-amzn-trace-id").asText()).startsWith("Root=1-");
        assertThat(e.path("body").asText()).isEqualTo("text");
        assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode ctx = e.path("requestContext");
        String id = UrlHttp.urlId(url);
        assertThat(ctx.path("accountId").asText()).isEqualTo("anonymous");
        assertThat(ctx.path("apiId").asText()).isEqualTo(id);
        assertThat(ctx.path("domainPrefix").asText()).isEqualTo(id);
        assertThat(ctx.path("domainName").asText()).isEqualTo(id + ".lambda-url.us-east-1.localhost");
        assertThat(ctx.has("authorizer")).isFalse();
        assertThat(ctx.path("http").path("method").asText()).isEqualTo("POST");
        assertThat(ctx.path("http").path("path").asText()).isEqualTo("/custom_path/extend");
        assertThat(ctx.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(ctx.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(ctx.path("http").path("userAgent").asText()).isEqualTo("url-test/1");
        assertThat(ctx.path("stage").asText()).isEqualTo("$default");
        assertThat(ctx.path("time").asText()).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
        assertThat(ctx.path("timeEpoch").asLong()).isPositive();
        // One request id everywhere, as test_request_id_invoke_url recorded: the header is the invocation's.
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(ctx.path("requestId").asText()).isEqualTo(requestId);
        assertThat(body.path("requestId").asText()).isEqualTo(requestId);
    }

    @Test
    void event_whenBodyIsEmpty_hasNoBody() {
        String url = publicUrl(fn("url-nobody", 3));
        JsonNode e = json(send("POST", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of())).path("event");
        assertThat(e.has("body")).isFalse();
        assertThat(e.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(e.has("queryStringParameters")).isFalse();
        assertThat(e.path("rawQueryString").asText()).isEmpty();
    }

    @Test
    void formAndBinaryBodies_travelBase64Encoded_andLargeBodiesRoundTrip() {
        String url = publicUrl(fn("url-binary", 10));
        String form = "\r\n--4efd159eae0c4f4e125a5a509e073d85\r\nContent-Disposition: form-data; name=\"formfield\"\r\n\r\n"
                + "not a file, just a field\r\n--4efd159eae0c4f4e125a5a509e073d85--\r\n";
        JsonNode e = json(send("POST", pathForm(lamina.endpoint(), url, "/test/value"), form.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "multipart/form-data; boundary=4efd159eae0c4f4e125a5a509e073d85"))).path("event");
        assertThat(e.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(new String(java.util.Base64.getDecoder().decode(e.path("body").asText()), StandardCharsets.UTF_8))
                .isEqualTo(form);

        byte[] large = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(large);
        HttpResponse<byte[]> r = send("PUT", pathForm(lamina.endpoint(), url, "/blob?mode=binary"), large,
                Map.of("Content-Type", "application/octet-stream"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(r.body()).isEqualTo(large);
    }

    // ---------------------------------------------------------------- the response rules

    @Test
    void response_followsPayloadFormat2Rules_asRecordedByAws() {
        String url = publicUrl(fn("url-return", 3));
        // test_lambda_url_invocation[*]: the function's return value -> status, Content-Type, body.
        Map<String, String> cases = Map.of(
                "dict", "{\"hello\": \"world\"}",
                "string", "\"hello\"",
                "integer", "3",
                "float", "3.1",
                "boolean", "true",
                "list-mixed", "[\"hello\", 3, true]",
                "http-response", "{\"statusCode\": 200, \"body\": \"body123\"}",
                "http-response-json", "{\"statusCode\": 200, \"body\": \"{\\\"hello\\\": \\\"world\\\"}\"}");
        cases.forEach((name, returned) -> {
            JsonNode recorded = UrlHttp.recorded("TestLambdaURL::test_lambda_url_invocation[" + name + "]",
                    "lambda_url_invocation");
            HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url, "/?mode=return"),
                    returned.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
            assertThat(r.statusCode()).as(name).isEqualTo(recorded.path("statuscode").asInt());
            assertThat(r.headers().firstValue("content-type")).as(name)
                    .hasValue(recorded.path("headers").path("Content-Type").asText());
            assertThat(r.headers().firstValue("content-length")).as(name)
                    .hasValue(recorded.path("headers").path("Content-Length").asText());
            JsonNode content = recorded.path("content");
            if (content.isTextual()) {
                assertThat(text(r)).as(name).isEqualTo(content.asText());
            } else {
                assertThat(json(r)).as(name).isEqualTo(content);
            }
        });
    }

    @Test
    void response_whenDescribed_carriesStatusHeadersCookiesAndDecodedBody() {
        String url = publicUrl(fn("url-described", 3));
        String described = """
                {"statusCode": "418", "headers": {"Content-Type": "text/plain", "My-Custom-Header": "Custom Value"},
                 "cookies": ["a=1; Path=/", "b=2; Max-Age=60"], "body": "aSdtIGEgdGVhcG90", "isBase64Encoded": true}""";
        HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url, "/?mode=return"),
                described.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(418);
        assertThat(text(r)).isEqualTo("i'm a teapot");
        assertThat(r.headers().firstValue("my-custom-header")).hasValue("Custom Value");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(r.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2; Max-Age=60");
    }

    @Test
    void responseStreamUrl_withAFunctionThatDoesNotStream_answersByTheBufferedRules() {
        String name = fn("url-stream", 3);
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.NONE)
                .invokeMode(software.amazon.awssdk.services.lambda.model.InvokeMode.RESPONSE_STREAM)).functionUrl();
        allowPublic(name, null);
        HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url, "/stream?mode=return"),
                "\"Hello, world!\"".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("Hello, world!");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void functionError_answers502InternalServerError() {
        String url = publicUrl(fn("url-raise", 3));
        HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url, "/?mode=raise"), "{}".getBytes(),
                Map.of("User-Agent", "python-requests/testing"));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(text(r)).isEqualTo("Internal Server Error");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void timeout_answers502() {
        String url = publicUrl(fn("url-timeout", 1));
        HttpResponse<byte[]> r = send("GET", pathForm(lamina.endpoint(), url, "/?mode=sleep"), new byte[0], Map.of());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(text(r)).isEqualTo("Internal Server Error");
    }

    @Test
    void unknownUrl_answers403WithANullMessage() {
        HttpResponse<byte[]> r = UrlHttp.get(URI.create(lamina.endpoint() + "/_url/0123456789abcdefghijklmnopqrstuv/"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(text(r)).isEqualTo("{\"Message\":null}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
    }

    @Test
    void authTypeNone_withoutPermission_isForbidden_asRecorded() {
        String name = fn("url-noperm", 3);
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.NONE))
                .functionUrl();
        HttpResponse<byte[]> r = send("POST", pathForm(lamina.endpoint(), url, "/"), "text".getBytes(),
                Map.of("Content-Type", "text/plain"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r)).isEqualTo(UrlHttp.recorded("TestLambdaPermissions::test_lambda_permission_url_invocation",
                "lambda_url_invocation_missing_permission"));
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");

        // A statement for the other AuthType does not count.
        lambda.addPermission(p -> p.functionName(name).statementId("iam-only").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.AWS_IAM));
        assertThat(send("GET", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of()).statusCode()).isEqualTo(403);
        lambda.addPermission(p -> p.functionName(name).statementId("url").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        assertThat(send("GET", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of()).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- aliases

    @Test
    void aliasUrl_invokesTheAlias_andIsForbiddenOnceTheAliasIsDeleted() {
        String name = fn("url-alias", 3);
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).qualifier("live")
                .authType(FunctionUrlAuthType.NONE)).functionUrl();
        // The unqualified function's statement does not cover the alias: policies are per qualifier.
        allowPublic(name, null);
        assertThat(send("GET", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of()).statusCode()).isEqualTo(403);
        allowPublic(name, "live");
        HttpResponse<byte[]> r = send("GET", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("version").asText()).isEqualTo("1");

        // test_lambda_url_persists_after_alias_delete: the URL stays and answers 403.
        lambda.deleteAlias(d -> d.functionName(name).name("live"));
        JsonNode recorded = UrlHttp.recorded("TestLambdaURL::test_lambda_url_persists_after_alias_delete",
                "invoke_deleted_alias_url_response_delayed");
        HttpResponse<byte[]> gone = send("GET", pathForm(lamina.endpoint(), url, "/"), new byte[0], Map.of());
        assertThat(gone.statusCode()).isEqualTo(recorded.path("status_code").asInt());
        assertThat(json(gone)).isEqualTo(recorded.path("content"));
        assertThat(gone.headers().firstValue("x-amzn-ErrorType"))
                .hasValue(recorded.path("headers").path("x-amzn-ErrorType").asText());
        assertThat(lambda.getFunctionUrlConfig(g -> g.functionName(name).qualifier("live")).functionUrl()).isEqualTo(url);
    }

    // ---------------------------------------------------------------- CORS

    @Test
    void cors_preflightIsAnsweredByTheUrl_andResponsesCarryTheConfiguredHeaders() {
        String name = fn("url-cors", 3);
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.NONE)
                .cors(c -> c.allowOrigins("https://app.example").allowMethods("GET", "POST").allowHeaders("x-custom")
                        .exposeHeaders("x-total").maxAge(600))).functionUrl();
        allowPublic(name, null);
        HttpResponse<byte[]> pre = send("OPTIONS", pathForm(lamina.endpoint(), url, "/?mode=raise"), new byte[0],
                Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "x-custom"));
        assertThat(pre.statusCode()).isEqualTo(200); // the function (which would raise) is not invoked
        assertThat(pre.body()).isEmpty();
        assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example");
        assertThat(pre.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
        assertThat(pre.headers().firstValue("access-control-allow-headers")).hasValue("x-custom");
        assertThat(pre.headers().firstValue("access-control-max-age")).hasValue("600");

        HttpResponse<byte[]> refused = send("OPTIONS", pathForm(lamina.endpoint(), url, "/"), new byte[0],
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "POST"));
        assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();

        HttpResponse<byte[]> get = send("GET", pathForm(lamina.endpoint(), url, "/?mode=cors"), new byte[0],
                Map.of("Origin", "https://app.example"));
        assertThat(text(get)).isEqualTo("from the function");
        // The URL's CORS settings replace what the function set.
        assertThat(get.headers().allValues("access-control-allow-origin")).containsExactly("https://app.example");
        assertThat(get.headers().firstValue("access-control-expose-headers")).hasValue("x-total");
    }

    // ---------------------------------------------------------------- AWS_IAM

    @Test
    void awsIam_acceptsSdkSignedRequestsOfConfiguredCredentials_andRefusesTheRest() {
        String name = fn("url-iam", 3);
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.AWS_IAM))
                .functionUrl();
        URI uri = pathForm(lamina.endpoint(), url, "/signed/path?q=a%20b&q=c");
        byte[] body = "{\"signed\":true}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json");

        // Same account: the identity's own permissions suffice, no policy statement needed.
        HttpResponse<byte[]> ok = UrlHttp.signed("POST", uri, body, headers, SAME.accessKeyId(), SAME.secretAccessKey(),
                "us-east-1");
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
        JsonNode ctx = json(ok).path("event").path("requestContext");
        assertThat(ctx.path("accountId").asText()).isEqualTo("000000000000");
        assertThat(ctx.path("authorizer").path("iam").path("userArn").asText()).isEqualTo(SAME.arn());
        assertThat(ctx.path("authorizer").path("iam").path("accountId").asText()).isEqualTo("000000000000");
        assertThat(ctx.path("authorizer").path("iam").path("accessKey").asText()).isEqualTo(SAME.accessKeyId());

        Consumer<HttpResponse<byte[]>> forbidden = r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
        };
        HttpResponse<byte[]> unsigned = send("POST", uri, body, headers);
        forbidden.accept(unsigned);
        assertThat(text(unsigned)).isEqualTo("{\"Message\":\"Forbidden\"}");
        forbidden.accept(UrlHttp.signed("POST", uri, body, headers, SAME.accessKeyId(), "not-the-secret", "us-east-1"));
        forbidden.accept(UrlHttp.signed("POST", uri, body, headers, SAME.accessKeyId(), SAME.secretAccessKey(),
                "eu-west-1"));
        forbidden.accept(UrlHttp.signed("POST", uri, body, headers, "AKIDUNKNOWN", "x", "us-east-1"));

        // Another account's identity needs a statement naming it.
        forbidden.accept(UrlHttp.signed("POST", uri, body, headers, OTHER.accessKeyId(), OTHER.secretAccessKey(),
                "us-east-1"));
        lambda.addPermission(p -> p.functionName(name).statementId("partner").action("lambda:InvokeFunctionUrl")
                .principal("222222222222").functionUrlAuthType(FunctionUrlAuthType.AWS_IAM));
        HttpResponse<byte[]> partner = UrlHttp.signed("POST", uri, body, headers, OTHER.accessKeyId(),
                OTHER.secretAccessKey(), "us-east-1");
        assertThat(partner.statusCode()).as(text(partner)).isEqualTo(200);
        assertThat(json(partner).path("event").path("requestContext").path("authorizer").path("iam").path("userArn")
                .asText()).isEqualTo(OTHER.arn());
    }

    // ---------------------------------------------------------------- typed Java handler

    @Test
    void javaHandler_seesEveryFieldOfApiGatewayV2HttpEvent() {
        String name = "url-java-" + COUNTER.incrementAndGet();
        lamina.create(r -> r.functionName(name).runtime(Runtime.JAVA21).handler("io.lamina.testfunctions.UrlEventHandler")
                .memorySize(512).timeout(30).code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.javaWithEvents()))));
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.AWS_IAM))
                .functionUrl();
        HttpResponse<byte[]> r = UrlHttp.signed("POST", pathForm(lamina.endpoint(), url, "/typed/path?a=1&a=2&b=x"),
                "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Cookie", "session=abc", "User-Agent", "typed/1"),
                SAME.accessKeyId(), SAME.secretAccessKey(), "us-east-1");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
        assertThat(r.headers().firstValue("x-handler")).hasValue("UrlEventHandler");
        assertThat(r.headers().allValues("set-cookie")).containsExactly("seen=yes; Path=/");
        JsonNode f = json(r);
        f.properties().forEach(e -> assertThat(e.getValue().isNull()).as(e.getKey() + " is populated").isFalse());
        assertThat(f.path("rawPath").asText()).isEqualTo("/typed/path");
        assertThat(f.path("queryStringParameters").path("a").asText()).isEqualTo("1,2");
        assertThat(f.path("cookies").toString()).isEqualTo("[\"session=abc\"]");
        assertThat(f.path("body").asText()).isEqualTo("{\"k\":\"v\"}");
        assertThat(f.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(f.path("requestContext.http.userAgent").asText()).isEqualTo("typed/1");
        assertThat(f.path("requestContext.authorizer.iam.userArn").asText()).isEqualTo(SAME.arn());
        assertThat(f.path("requestContext.requestId").asText()).isEqualTo(f.path("context.awsRequestId").asText());
        assertThat(f.path("requestContext.timeEpoch").asLong()).isPositive();
        assertThat(f.path("requestContext.domainPrefix").asText()).isEqualTo(UrlHttp.urlId(url));
    }

    // ---------------------------------------------------------------- helpers

    /** A fresh Python function running {@link #URL_FN}. */
    static String fn(String prefix, int timeoutSeconds) {
        String name = prefix + "-" + COUNTER.incrementAndGet();
        lamina.create(r -> r.functionName(name).runtime(Runtime.PYTHON3_12).handler("handler.handler")
                .timeout(timeoutSeconds).code(c -> c.zipFile(SdkBytes.fromByteArray(URL_FN))));
        return name;
    }

    /** An AuthType NONE URL with the public statement AWS's console adds. */
    static String publicUrl(String name) {
        String url = lambda.createFunctionUrlConfig(r -> r.functionName(name).authType(FunctionUrlAuthType.NONE))
                .functionUrl();
        allowPublic(name, null);
        return url;
    }

    static void allowPublic(String name, String qualifier) {
        lambda.addPermission(p -> p.functionName(name).qualifier(qualifier).statementId("FunctionURLAllowPublicAccess")
                .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
    }
}
