package io.lamina.core.urls;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks AWS Signature Version 4 on a request to an AWS_IAM function URL by computing the signature
 * again from the configured secret (Authorization header form; service {@code lambda}, Lamina's
 * region): credential scope, 15 minutes of clock skew, {@code host} among the signed headers, and the
 * payload hash ({@code x-amz-content-sha256} when sent, else the body's SHA-256).
 */
public final class SigV4Verifier {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private final Function<String, Optional<SigningCredential>> credentials;
    private final Clock clock;

    public SigV4Verifier(String region, Function<String, Optional<SigningCredential>> credentials, Clock clock) {
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** The verdict: the signer, or why the request is refused (for the log, never for the caller). */
    public sealed interface Result {
        record Verified(SigningCredential credential) implements Result {
        }

        record Rejected(String reason) implements Result {
        }
    }

    public Result verify(UrlRequest req) {
        Optional<String> auth = req.header("authorization");
        if (auth.isEmpty()) {
            return new Result.Rejected("the request is not signed (no Authorization header)");
        }
        var m = AUTHORIZATION.matcher(auth.get());
        if (!m.matches()) {
            return new Result.Rejected("the Authorization header is not an AWS4-HMAC-SHA256 signature");
        }
        String[] scope = m.group(1).split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return new Result.Rejected("malformed credential scope " + m.group(1));
        }
        String keyId = scope[0];
        String date = scope[1];
        if (!scope[2].equals(region) || !scope[3].equals("lambda")) {
            return new Result.Rejected("signed for " + scope[3] + " in " + scope[2] + ", not lambda in " + region);
        }
        Optional<SigningCredential> credential = credentials.apply(keyId);
        if (credential.isEmpty()) {
            return new Result.Rejected("unknown access key " + keyId);
        }
        Optional<String> amzDate = req.header("x-amz-date");
        if (amzDate.isEmpty()) {
            return new Result.Rejected("no X-Amz-Date header");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate.get(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return new Result.Rejected("malformed X-Amz-Date " + amzDate.get());
        }
        if (!amzDate.get().startsWith(date)) {
            return new Result.Rejected("the credential scope's date " + date + " is not the day of X-Amz-Date");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            return new Result.Rejected("signed at " + signedAt + ", more than 15 minutes from now (" + clock.instant() + ")");
        }
        List<String> signedHeaders = List.of(m.group(2).split(";"));
        if (!signedHeaders.contains("host")) {
            return new Result.Rejected("the host header is not signed");
        }
        String bodyHash = hex(sha256(req.body()));
        String payloadHash = req.header("x-amz-content-sha256").orElse(bodyHash);
        if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !payloadHash.equals(bodyHash)) {
            return new Result.Rejected("x-amz-content-sha256 does not match the body");
        }
        String canonical = req.method() + "\n" + canonicalUri(req.rawPath()) + "\n" + canonicalQuery(req.rawQuery())
                + "\n" + canonicalHeaders(req, signedHeaders) + "\n" + m.group(2) + "\n" + payloadHash;
        String credentialScope = date + "/" + region + "/lambda/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate.get() + "\n" + credentialScope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credential.get().secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "lambda");
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            return new Result.Rejected("the signature does not match (access key " + keyId + ")");
        }
        return new Result.Verified(credential.get());
    }

    /**
     * The path as the SDKs sign it for services other than S3: normalised, then each already-encoded
     * segment encoded once more.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        List<String> out = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(encode(p));
        }
        String path = "/" + String.join("/", out);
        return path;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        var pairs = new ArrayList<String[]>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[]{encode(decode(k)), encode(decode(v))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        var sb = new StringBuilder();
        for (String[] p : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    private static String canonicalHeaders(UrlRequest req, List<String> signed) {
        var values = new TreeMap<String, List<String>>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (signed.contains(name)) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(h.getValue().strip().replaceAll("\\s+", " "));
            }
        }
        var sb = new StringBuilder();
        for (String name : signed) {
            sb.append(name).append(':').append(String.join(",", values.getOrDefault(name, List.of()))).append('\n');
        }
        return sb.toString();
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX. */
    static String encode(String s) {
        var sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
