package io.lamina.core.alb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A target group with one Lambda function as its target.
 *
 * @param name              ELB's target group name: 1-32 letters, digits and hyphens, no hyphen first or last
 * @param function          the target: function name, ARN, or either with an alias or version qualifier
 * @param multiValueHeaders the target group attribute {@code lambda.multi_value_headers.enabled} (default false)
 */
public record AlbTargetGroup(String name, String function, boolean multiValueHeaders, AlbHealthCheck healthCheck) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?");

    public AlbTargetGroup {
        Objects.requireNonNull(healthCheck, "healthCheck");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("target group name must be 1-32 letters, digits or hyphens, "
                    + "not beginning or ending with a hyphen: " + name);
        }
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("target group " + name + " needs a function");
        }
    }

    public static AlbTargetGroup of(String name, String function) {
        return new AlbTargetGroup(name, function, false, AlbHealthCheck.lambdaDefaults());
    }

    public AlbTargetGroup withMultiValueHeaders(boolean on) {
        return new AlbTargetGroup(name, function, on, healthCheck);
    }

    public AlbTargetGroup withHealthCheck(AlbHealthCheck check) {
        return new AlbTargetGroup(name, function, multiValueHeaders, check);
    }

    /**
     * The target group's ARN in AWS's form; the 16-hex id AWS assigns at creation is derived from the
     * region, account and name so that it stays the same across restarts (policies name it).
     */
    public String arn(String region, String accountId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((region + ":" + accountId + ":" + name).getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(digest, 0, 8);
            return "arn:aws:elasticloadbalancing:" + region + ":" + accountId + ":targetgroup/" + name + "/" + id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
