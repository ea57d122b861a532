package io.lamina.it.urls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Calls to function URLs with Java's HttpClient (path form) and curl (host form), signed or not. */
final class UrlHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Headers HttpClient sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    private UrlHttp() {
    }

    /** The url id of a {@code FunctionUrl} ({@code http://<id>.lambda-url.<region>.localhost:<port>/}). */
    static String urlId(String functionUrl) {
        String host = URI.create(functionUrl).getHost();
        return host.substring(0, host.indexOf('.'));
    }

    /** {@code http://127.0.0.1:<port>/_url/<id><pathAndQuery>}: the form Java's resolver can reach. */
    static URI pathForm(String endpoint, String functionUrl, String pathAndQuery) {
        return URI.create(endpoint + "/_url/" + urlId(functionUrl) + pathAndQuery);
    }

    static HttpResponse<byte[]> send(String method, URI uri, byte[] body, Map<String, String> headers) {
        var b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> get(URI uri) {
        return send("GET", uri, new byte[0], Map.of());
    }

    /** Signs with the AWS SDK's own SigV4 signer (service lambda), then sends with HttpClient. */
    static HttpResponse<byte[]> signed(String method, URI uri, byte[] body, Map<String, String> headers,
                                       String accessKey, String secret, String region) {
        var http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(http::putHeader);
        var signedRequest = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(http.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        var out = new java.util.LinkedHashMap<String, String>();
        signedRequest.request().headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                out.put(k, String.join(",", v));
            }
        });
        return send(method, uri, body, out);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + text(r), e);
        }
    }

    /** A process's combined output and exit code. */
    record Run(int exit, String out) {
    }

    static Run run(List<String> command, Map<String, String> env) {
        try {
            var pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** curl -i: the status line, headers (lower-cased names) and body of one response. */
    record CurlResponse(int status, Map<String, List<String>> headers, String body) {
    }

    static CurlResponse curl(String... args) {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "60"));
        cmd.addAll(List.of(args));
        Run r = run(cmd, Map.of());
        if (r.exit() != 0) {
            throw new AssertionError("curl failed: " + r.out());
        }
        String out = r.out();
        int split = out.indexOf("\r\n\r\n");
        String head = out.substring(0, split);
        String body = out.substring(split + 4);
        var lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new java.util.TreeMap<String, List<String>>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        return new CurlResponse(status, headers, body);
    }

    /** AWS's recorded answers for function URLs (test_lambda.snapshot.json under {@code lamina.golden}). */
    static JsonNode recorded(String test, String key) {
        Path file = Path.of(System.getProperty("lamina.golden", "../testdata/golden"),
                "localstack-snapshots/test_lambda.snapshot.json");
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            for (var it = root.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().endsWith("::" + test)) {
                    return e.getValue().path("recorded-content").path(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no recording " + test);
    }
}
