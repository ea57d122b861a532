package io.lamina.core.function;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A function as an API caller names it: a name, a partial ARN ({@code 123456789012:function:name})
 * or a full ARN, each optionally with {@code :qualifier}, plus an optional separate
 * {@code Qualifier} parameter. Parsing checks region and account like AWS does.
 */
public record FunctionRef(String name, Optional<String> qualifier) {

    // AWS's FunctionName pattern (service model, the widest of its variants), with groups we read.
    private static final Pattern FUNCTION_NAME = Pattern.compile(
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?((?<region>(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}):)?"
                    + "((?<account>\\d{12}):)?(function:)?(?<name>[a-zA-Z0-9-_\\.]+)"
                    + "(:(?<qualifier>\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");

    /** The longest function name CreateFunction accepts (the model allows 140 characters for ARNs). */
    static final int MAX_NAME_LENGTH = 64;

    public static final String QUALIFIER_MISMATCH =
            "The derived qualifier from the function name does not match the specified qualifier.";

    /**
     * Parses {@code functionName} and reconciles it with the {@code Qualifier} parameter.
     *
     * @throws LambdaException ValidationException for a malformed name, ResourceNotFoundException
     *                         for another region, AccessDeniedException for another account,
     *                         InvalidParameterValueException when the two qualifiers differ
     */
    public static FunctionRef parse(String functionName, Optional<String> qualifierParam, Arns arns) {
        if (isPlainName(functionName)) {
            return new FunctionRef(functionName, qualifierParam); // the common case: no ARN, no qualifier
        }
        var m = FUNCTION_NAME.matcher(functionName);
        if (!m.matches()) {
            throw LambdaException.validation("1 validation error detected: Value '" + functionName
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + FUNCTION_NAME.pattern().replaceAll("\\?<[a-z]+>", ""));
        }
        String region = m.group("region");
        if (region != null && !region.equals(arns.region())) {
            throw LambdaException.notFound("Functions from '" + region + "' are not reachable in this region ('"
                    + arns.region() + "')");
        }
        String account = m.group("account");
        if (account != null && !account.equals(arns.accountId())) {
            // AWS answers this without any message.
            throw new LambdaException(ErrorType.AccessDeniedException, null);
        }
        Optional<String> derived = Optional.ofNullable(m.group("qualifier"));
        if (derived.isPresent() && qualifierParam.isPresent() && !derived.equals(qualifierParam)) {
            throw LambdaException.invalidParameter(QUALIFIER_MISMATCH);
        }
        return new FunctionRef(m.group("name"), derived.or(() -> qualifierParam));
    }

    /**
     * CreateFunction's name: a name or (partial) ARN, checked like {@link #parse}, at most 64
     * characters. A qualifier suffix is ignored, as AWS ignores it.
     */
    public static String nameForCreate(String functionName, Arns arns) {
        String name = parse(functionName, Optional.empty(), arns).name();
        if (name.length() > MAX_NAME_LENGTH) {
            throw LambdaException.invalidParameter("1 validation error detected: Value '" + functionName
                    + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_NAME_LENGTH);
        }
        return name;
    }

    /** A bare function name ({@code [a-zA-Z0-9-_]{1,64}}), checked without the ARN pattern. */
    public static boolean isPlainName(String s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Rejects a qualifier on the update operations, which only change {@code $LATEST}. */
    public FunctionRef requireUnqualifiedForUpdate() {
        if (qualifier.isPresent()) {
            throw LambdaException.invalidParameter("Unsupported function qualifier: " + qualifier.get()
                    + ". Only the unqualified function ($LATEST) can be updated.");
        }
        return this;
    }

    /** Rejects a qualifier: for operations on the function as a whole (concurrency, for example). */
    public FunctionRef requireUnqualified(String message) {
        if (qualifier.isPresent()) {
            throw LambdaException.invalidParameter(message);
        }
        return this;
    }
}
