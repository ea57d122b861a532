package io.lamina.core.permissions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One question to a resource-based policy: may this principal perform this action, given the
 * request's condition keys ({@code aws:SourceArn}, {@code aws:SourceAccount},
 * {@code lambda:FunctionUrlAuthType}…)? Keys are compared case-insensitively, as IAM does.
 */
public record AccessRequest(String action, Principal principal, Map<String, String> conditionKeys) {
    public static final String INVOKE_FUNCTION = "lambda:InvokeFunction";
    public static final String INVOKE_FUNCTION_URL = "lambda:InvokeFunctionUrl";

    public AccessRequest {
        var keys = new HashMap<String, String>();
        conditionKeys.forEach((k, v) -> keys.put(k.toLowerCase(Locale.ROOT), v));
        conditionKeys = Map.copyOf(keys);
    }

    /** A service invoking on behalf of one of its resources (API Gateway, ELB, S3…). */
    public static AccessRequest service(String action, String service, Optional<String> sourceArn,
                                        Optional<String> sourceAccount) {
        var keys = new HashMap<String, String>();
        sourceArn.ifPresent(v -> keys.put("aws:SourceArn", v));
        sourceAccount.ifPresent(v -> keys.put("aws:SourceAccount", v));
        return new AccessRequest(action, new Principal.Service(service), keys);
    }

    /** A call to a function URL with the given AuthType, by a signed identity or anonymously. */
    public static AccessRequest functionUrl(String authType, Principal caller) {
        return new AccessRequest(INVOKE_FUNCTION_URL, caller, Map.of("lambda:FunctionUrlAuthType", authType));
    }

    Optional<String> key(String name) {
        return Optional.ofNullable(conditionKeys.get(name.toLowerCase(Locale.ROOT)));
    }
}
