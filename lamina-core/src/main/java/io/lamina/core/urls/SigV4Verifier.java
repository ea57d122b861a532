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
 * again from the configured secret (Authorization header or presigned query; service {@code lambda},
 * Lamina's region): credential scope, 15 minutes of clock skew (or the presigned validity),
 * {@code host} among the signed headers, and the payload hash ({@code x-amz-content-sha256} when
 * sent, else the body's SHA-256). Session tokens are refused: only configured long-term keys sign.
 */
public final class SigV4Verifier {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** SigV4's longest presigned validity: seven days. */
    static final long MAX_PRESIGNED_SECONDS = 604_800;
    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
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
        Map<String, String> query = queryParameters(req.rawQuery());
        Signed signed;
        if (query.containsKey("X-Amz-Algorithm")) {
            if (!"AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm"))) {
                return new Result.Rejected("X-Amz-Algorithm is not AWS4-HMAC-SHA256");
            }
            if (!query.containsKey("X-Amz-Credential") || !query.containsKey("X-Amz-SignedHeaders")
                    || !query.containsKey("X-Amz-Signature") || !query.containsKey("X-Amz-Date")) {
                return new Result.Rejected("the presigned query lacks X-Amz-Credential, -SignedHeaders, -Signature or -Date");
            }
            signed = new Signed(query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"),
                    query.get("X-Amz-Signature"), query.get("X-Amz-Date"),
                    Optional.ofNullable(query.get("X-Amz-Expires")), Optional.ofNullable(query.get("X-Amz-Security-Token")));
        } else {
            Optional<String> auth = req.header("authorization");
            if (auth.isEmpty()) {
                return new Result.Rejected("the request is not signed (no Authorization header)");
            }
            var m = AUTHORIZATION.matcher(auth.get());
            if (!m.matches()) {
                return new Result.Rejected("the Authorization header is not an AWS4-HMAC-SHA256 signature");
            }
            Optional<String> amzDate = req.header("x-amz-date");
            if (amzDate.isEmpty()) {
                return new Result.Rejected("no X-Amz-Date header");
            }
            signed = new Signed(m.group(1), m.group(2), m.group(3), amzDate.get(), Optional.empty(),
                    req.header("x-amz-security-token"));
        }
        return check(req, signed);
    }

    /** What a signature claims, from the Authorization header or a presigned query. */
    private record Signed(String credential, String signedHeaders, String signature, String amzDate,
                          Optional<String> expires, Optional<String> securityToken) {
    }

    private Result check(UrlRequest req, Signed s) {
        String[] scope = s.credential().split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return new Result.Rejected("malformed credential scope " + s.credential());
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
        if (s.securityToken().isPresent()) {
            return new Result.Rejected("session tokens are not accepted: configure long-term credentials");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(s.amzDate(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return new Result.Rejected("malformed X-Amz-Date " + s.amzDate());
        }
        if (!s.amzDate().startsWith(date)) {
            return new Result.Rejected("the credential scope's date " + date + " is not the day of X-Amz-Date");
        }
        Instant now = clock.instant();
        if (s.expires().isPresent()) {
            long seconds;
            try {
                seconds = Long.parseLong(s.expires().get());
            } catch (NumberFormatException e) {
                return new Result.Rejected("malformed X-Amz-Expires " + s.expires().get());
            }
            if (seconds < 1 || seconds > MAX_PRESIGNED_SECONDS) {
                return new Result.Rejected("X-Amz-Expires must be 1 to 604800 seconds, not " + seconds);
            }
            if (now.isAfter(signedAt.plusSeconds(seconds)) || now.isBefore(signedAt.minus(MAX_SKEW))) {
                return new Result.Rejected("the presigned request is valid from " + signedAt + " for " + seconds
                        + " s, not at " + now);
            }
        } else if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            return new Result.Rejected("signed at " + signedAt + ", more than 15 minutes from now (" + now + ")");
        }
        List<String> signedHeaders = List.of(s.signedHeaders().split(";"));
        if (!signedHeaders.contains("host")) {
            return new Result.Rejected("the host header is not signed");
        }
        String bodyHash = hex(sha256(req.body()));
        Optional<String> declared = req.header("x-amz-content-sha256");
        if (declared.isPresent() && !declared.get().equals(UNSIGNED) && !declared.get().equals(bodyHash)) {
            return new Result.Rejected("x-amz-content-sha256 does not match the body");
        }
        // A presigned request may leave its payload unsigned; otherwise the body's hash was signed.
        List<String> hashes = declared.map(List::of).orElseGet(() -> s.expires().isPresent()
                ? List.of(bodyHash, UNSIGNED) : List.of(bodyHash));
        String canonicalStart = req.method() + "\n" + canonicalUri(req.rawPath()) + "\n"
                + canonicalQuery(req.rawQuery()) + "\n" + canonicalHeaders(req, signedHeaders) + "\n"
                + s.signedHeaders() + "\n";
        byte[] key = hmac(("AWS4" + credential.get().secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "lambda");
        key = hmac(key, "aws4_request");
        String credentialScope = date + "/" + region + "/lambda/aws4_request";
        for (String payloadHash : hashes) {
            String stringToSign = "AWS4-HMAC-SHA256\n" + s.amzDate() + "\n" + credentialScope + "\n"
                    + hex(sha256((canonicalStart + payloadHash).getBytes(StandardCharsets.UTF_8)));
            String expected = hex(hmac(key, stringToSign));
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    s.signature().getBytes(StandardCharsets.US_ASCII))) {
                return new Result.Verified(credential.get());
            }
        }
        return new Result.Rejected("the signature does not match (access key " + keyId + ")");
    }

    /** Decoded query parameters by name (the first of a repeated one). */
    private static Map<String, String> queryParameters(String rawQuery) {
        var out = new java.util.HashMap<String, String>();
        if (rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.putIfAbsent(k, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
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
            if (decode(k).equals("X-Amz-Signature")) {
                continue; // a presigned request signs everything but its signature
            }
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
