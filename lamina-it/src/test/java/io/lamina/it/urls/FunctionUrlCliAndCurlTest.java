package io.lamina.it.urls;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A function URL configured with the AWS CLI v2 (Debian's /usr/bin/aws) and called with curl on the
 * {@code FunctionUrl} it returned ({@code <url-id>.lambda-url.<region>.localhost}: curl resolves
 * {@code *.localhost} to loopback by itself).
 */
class FunctionUrlCliAndCurlTest {
    private static final String CLI = "/usr/bin/aws";

    @Test
    void cliCreatesTheUrl_andCurlCallsItsHostForm() throws IOException {
        try (LaminaFixture lamina = LaminaFixture.start()) {
            String name = "cli-url-fn";
            lamina.create(r -> r.functionName(name).runtime(Runtime.PYTHON3_12).handler("handler.handler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(FunctionUrlInvokeTest.URL_FN))));

            JsonNode created = cli(lamina, "lambda", "create-function-url-config", "--function-name", name,
                    "--auth-type", "NONE");
            String url = created.path("FunctionUrl").asText();
            assertThat(url).matches("http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:"
                    + lamina.server().port() + "/");
            assertThat(created.path("AuthType").asText()).isEqualTo("NONE");
            assertThat(created.path("FunctionArn").asText())
                    .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:" + name);

            // No statement yet: AWS's 403.
            var denied = UrlHttp.curl(url);
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.headers().get("x-amzn-errortype")).containsExactly("AccessDeniedException");

            cli(lamina, "lambda", "add-permission", "--function-name", name, "--statement-id", "url",
                    "--action", "lambda:InvokeFunctionUrl", "--principal", "*", "--function-url-auth-type", "NONE");
            // The request of test_lambda_url_echo_http_fixture_trim_x_headers (python-requests' headers).
            var r = UrlHttp.curl("-X", "POST", "-H", "Content-Type: application/json", "-H", "ExTrA-HeadErs: With WeiRd CapS",
                    "-A", "test/echo", "-H", "Accept-Encoding: gzip, deflate", "-H", "Connection: keep-alive",
                    "-b", "flavour=oat; size=large", "--data", "{\"foo\": \"bar\"}",
                    url + "path/1?q=query&multi=a&multi=b");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsKey("x-amzn-requestid");
            JsonNode e = UrlHttp.JSON.readTree(r.body()).path("event");
            String id = UrlHttp.urlId(url);
            assertThat(e.path("rawPath").asText()).isEqualTo("/path/1");
            assertThat(e.path("queryStringParameters").path("q").asText()).isEqualTo("query");
            assertThat(e.path("queryStringParameters").path("multi").asText()).isEqualTo("a,b");
            assertThat(e.path("cookies").toString()).isEqualTo("[\"flavour=oat\",\"size=large\"]");
            // Names lower-cased, values as sent, hop-by-hop headers gone: without the x-* headers the
            // front end adds, the function sees the headers AWS's recording shows.
            JsonNode recorded = UrlHttp.recorded("TestLambdaURL::test_lambda_url_echo_http_fixture_trim_x_headers",
                    "url_response").path("headers");
            var seen = new java.util.TreeSet<String>();
            e.path("headers").fieldNames().forEachRemaining(h -> {
                if (!h.startsWith("x-")) {
                    seen.add(h);
                }
            });
            var expected = new java.util.TreeSet<String>();
            recorded.fieldNames().forEachRemaining(expected::add);
            assertThat(seen).isEqualTo(expected);
            for (String h : List.of("accept", "accept-encoding", "content-length", "content-type", "extra-headers",
                    "user-agent")) {
                assertThat(e.path("headers").path(h).asText()).as(h).isEqualTo(recorded.path(h).asText());
            }
            assertThat(e.path("headers").path("extra-headers").asText()).isEqualTo("With WeiRd CapS");
            assertThat(e.path("headers").path("user-agent").asText()).isEqualTo("test/echo");
            assertThat(e.path("headers").path("content-length").asText()).isEqualTo("14");
            assertThat(e.path("headers").path("host").asText()).startsWith(id + ".lambda-url.us-east-1.localhost");
            assertThat(e.path("body").asText()).isEqualTo("{\"foo\": \"bar\"}");
            assertThat(e.path("requestContext").path("apiId").asText()).isEqualTo(id);

            // Binary bodies with curl too.
            byte[] blob = new byte[256 * 1024];
            new Random(3).nextBytes(blob);
            Path file = Files.createTempFile("url-blob", ".bin");
            Path out = Files.createTempFile("url-blob", ".out");
            try {
                Files.write(file, blob);
                var b = UrlHttp.run(List.of("curl", "-sS", "-o", out.toString(), "-w", "%{http_code}",
                        "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + file, url + "?mode=binary"),
                        Map.of());
                assertThat(b.out()).isEqualTo("200");
                assertThat(Files.readAllBytes(out)).isEqualTo(blob);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(out);
            }

            // CORS through the CLI, preflight through curl.
            JsonNode updated = cli(lamina, "lambda", "update-function-url-config", "--function-name", name,
                    "--cors", "{\"AllowOrigins\":[\"*\"],\"AllowMethods\":[\"*\"],\"AllowHeaders\":[\"content-type\"],\"MaxAge\":60}");
            assertThat(updated.path("Cors").path("AllowOrigins").toString()).isEqualTo("[\"*\"]");
            var pre = UrlHttp.curl("-X", "OPTIONS", "-H", "Origin: https://site.example",
                    "-H", "Access-Control-Request-Method: PUT", "-H", "Access-Control-Request-Headers: content-type", url);
            assertThat(pre.status()).isEqualTo(200);
            assertThat(pre.headers().get("access-control-allow-origin")).containsExactly("*");
            assertThat(pre.headers().get("access-control-allow-methods")).containsExactly("PUT");
            assertThat(pre.headers().get("access-control-allow-headers")).containsExactly("content-type");
            assertThat(pre.headers().get("access-control-max-age")).containsExactly("60");

            JsonNode got = cli(lamina, "lambda", "get-function-url-config", "--function-name", name);
            // aws-cli 2.9's model predates InvokeMode, so the CLI drops that member; the SDK tests check it.
            assertThat(got.path("AuthType").asText()).isEqualTo("NONE");
            assertThat(got.path("FunctionUrl").asText()).isEqualTo(url);
            JsonNode listed = cli(lamina, "lambda", "list-function-url-configs", "--function-name", name);
            assertThat(listed.path("FunctionUrlConfigs").size()).isEqualTo(1);

            cliRaw(lamina, "lambda", "delete-function-url-config", "--function-name", name);
            var gone = UrlHttp.curl(url);
            assertThat(gone.status()).isEqualTo(403);
            assertThat(gone.body()).isEqualTo("{\"Message\":null}");
        }
    }

    private static JsonNode cli(LaminaFixture lamina, String... args) throws IOException {
        return UrlHttp.JSON.readTree(cliRaw(lamina, args));
    }

    private static String cliRaw(LaminaFixture lamina, String... args) {
        var cmd = new ArrayList<>(List.of(CLI, "--endpoint-url", lamina.endpoint(), "--output", "json"));
        cmd.addAll(List.of(args));
        var r = UrlHttp.run(cmd, Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_PAGER", "", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.out()).isZero();
        return r.out();
    }
}
