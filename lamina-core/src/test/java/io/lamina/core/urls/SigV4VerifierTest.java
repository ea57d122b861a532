package io.lamina.core.urls;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests signed by the AWS SDK's own SigV4 signer, checked by ours. */
class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final SigningCredential DEV = new SigningCredential("AKIDDEV", "secret-dev",
            "arn:aws:iam::000000000000:user/dev");
    private final SigV4Verifier verifier = new SigV4Verifier("us-east-1",
            k -> k.equals(DEV.accessKeyId()) ? Optional.of(DEV) : Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void verify_whenTheSdkSignedTheRequest_acceptsIt() {
        UrlRequest req = signed("POST", "/items/a%20b/c", "x=1&b=two%2Fthree&x=0", "hello".getBytes(StandardCharsets.UTF_8),
                DEV.secretAccessKey(), "us-east-1", NOW);
        assertThat(verifier.verify(req)).isEqualTo(new SigV4Verifier.Result.Verified(DEV));
    }

    @Test
    void verify_whenTheBodyWasChangedAfterSigning_rejects() {
        UrlRequest req = signed("POST", "/", "", "hello".getBytes(StandardCharsets.UTF_8), DEV.secretAccessKey(),
                "us-east-1", NOW);
        var tampered = new UrlRequest(req.method(), req.rawPath(), req.rawQuery(), req.headers(),
                "HELLO".getBytes(StandardCharsets.UTF_8), req.sourceIp(), req.protocol());
        assertThat(verifier.verify(tampered)).isInstanceOf(SigV4Verifier.Result.Rejected.class);
    }

    @Test
    void verify_whenSignedWithAnotherSecret_rejects() {
        UrlRequest req = signed("GET", "/", "", new byte[0], "wrong-secret", "us-east-1", NOW);
        assertThat(verifier.verify(req)).isInstanceOfSatisfying(SigV4Verifier.Result.Rejected.class,
                r -> assertThat(r.reason()).contains("signature does not match"));
    }

    @Test
    void verify_whenSignedMoreThanFifteenMinutesAgo_rejects() {
        UrlRequest req = signed("GET", "/", "", new byte[0], DEV.secretAccessKey(), "us-east-1",
                NOW.minus(Duration.ofMinutes(16)));
        assertThat(verifier.verify(req)).isInstanceOfSatisfying(SigV4Verifier.Result.Rejected.class,
                r -> assertThat(r.reason()).contains("15 minutes"));
    }

    @Test
    void verify_whenSignedForAnotherRegion_rejects() {
        UrlRequest req = signed("GET", "/", "", new byte[0], DEV.secretAccessKey(), "eu-west-1", NOW);
        assertThat(verifier.verify(req)).isInstanceOf(SigV4Verifier.Result.Rejected.class);
    }

    @Test
    void verify_whenUnsignedOrUnknownKey_rejects() {
        var unsigned = new UrlRequest("GET", "/", "", List.of(Map.entry("Host", "h")), new byte[0], "127.0.0.1", "HTTP/1.1");
        assertThat(verifier.verify(unsigned)).isInstanceOf(SigV4Verifier.Result.Rejected.class);
        var other = new SigV4Verifier("us-east-1", k -> Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(other.verify(signed("GET", "/", "", new byte[0], DEV.secretAccessKey(), "us-east-1", NOW)))
                .isInstanceOfSatisfying(SigV4Verifier.Result.Rejected.class,
                        r -> assertThat(r.reason()).contains("unknown access key"));
    }

    @Test
    void verify_whenPresignedInTheQuery_acceptsItUntilItExpires() {
        UrlRequest req = presigned("/items", "a=1", Duration.ofMinutes(30), NOW);
        assertThat(verifier.verify(req)).isEqualTo(new SigV4Verifier.Result.Verified(DEV));
        var later = new SigV4Verifier("us-east-1", k -> Optional.of(DEV),
                Clock.fixed(NOW.plus(Duration.ofMinutes(31)), ZoneOffset.UTC));
        assertThat(later.verify(req)).isInstanceOfSatisfying(SigV4Verifier.Result.Rejected.class,
                r -> assertThat(r.reason()).contains("presigned request is valid"));
        var tampered = new UrlRequest(req.method(), req.rawPath(), req.rawQuery().replace("a=1", "a=2"), req.headers(),
                req.body(), req.sourceIp(), req.protocol());
        assertThat(verifier.verify(tampered)).isInstanceOf(SigV4Verifier.Result.Rejected.class);
    }

    @Test
    void verify_whenASessionTokenIsSent_rejects() {
        UrlRequest req = signed("GET", "/", "", new byte[0], DEV.secretAccessKey(), "us-east-1", NOW);
        var headers = new ArrayList<>(req.headers());
        headers.add(Map.entry("X-Amz-Security-Token", "token"));
        var withToken = new UrlRequest("GET", "/", "", headers, new byte[0], "127.0.0.1", "HTTP/1.1");
        assertThat(verifier.verify(withToken)).isInstanceOfSatisfying(SigV4Verifier.Result.Rejected.class,
                r -> assertThat(r.reason()).contains("session tokens"));
    }

    private static UrlRequest presigned(String rawPath, String rawQuery, Duration validFor, Instant at) {
        String uri = "http://abc.lambda-url.us-east-1.localhost:9000" + rawPath + "?" + rawQuery;
        var http = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(uri)).build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(DEV.accessKeyId(), DEV.secretAccessKey()))
                .request(http)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, validFor)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        var headers = new ArrayList<Map.Entry<String, String>>();
        signed.request().headers().forEach((k, vs) -> vs.forEach(v -> headers.add(Map.entry(k, v))));
        if (signed.request().headers().keySet().stream().noneMatch("host"::equalsIgnoreCase)) {
            headers.add(Map.entry("Host", "abc.lambda-url.us-east-1.localhost:9000"));
        }
        return new UrlRequest("GET", rawPath, signed.request().getUri().getRawQuery(), headers, new byte[0],
                "127.0.0.1", "HTTP/1.1");
    }

    private static UrlRequest signed(String method, String rawPath, String rawQuery, byte[] body, String secret,
                                     String region, Instant at) {
        String uri = "http://abc.lambda-url.us-east-1.localhost:9000" + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
        var http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(uri))
                .putHeader("Content-Type", "text/plain").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(DEV.accessKeyId(), secret))
                .request(http)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        var headers = new ArrayList<Map.Entry<String, String>>();
        signed.request().headers().forEach((k, vs) -> vs.forEach(v -> headers.add(Map.entry(k, v))));
        if (signed.request().headers().keySet().stream().noneMatch("host"::equalsIgnoreCase)) {
            headers.add(Map.entry("Host", "abc.lambda-url.us-east-1.localhost:9000"));
        }
        return new UrlRequest(method, rawPath, rawQuery, headers, body, "127.0.0.1", "HTTP/1.1");
    }
}
