package io.lamina.core.errors;

import java.util.Map;

/**
 * An error answered to an API caller: an AWS error type, its message and optional extra body
 * fields (for example {@code Reason} on throttles). Rendered in one place, by the HTTP edge.
 */
public class LambdaException extends RuntimeException {
    private final ErrorType type;
    private final Map<String, String> extraFields;
    private final boolean typeField;

    public LambdaException(ErrorType type, String message) {
        this(type, message, Map.of());
    }

    public LambdaException(ErrorType type, String message, Map<String, String> extraFields) {
        this(type, message, extraFields, type.userType());
    }

    private LambdaException(ErrorType type, String message, Map<String, String> extraFields, boolean typeField) {
        super(message, null, false, false);
        this.type = type;
        this.extraFields = Map.copyOf(extraFields);
        this.typeField = typeField;
    }

    /** Whether the error body carries {@code "Type":"User"}; AWS leaves it out of a few answers. */
    public boolean typeField() {
        return typeField;
    }

    /** The same error, answered without {@code "Type"} as AWS answers some of its checks. */
    public LambdaException withoutTypeField() {
        return new LambdaException(type, getMessage(), extraFields, false);
    }

    public ErrorType type() {
        return type;
    }

    public Map<String, String> extraFields() {
        return extraFields;
    }

    public static LambdaException notFound(String message) {
        return new LambdaException(ErrorType.ResourceNotFoundException, message);
    }

    public static LambdaException invalidParameter(String message) {
        return new LambdaException(ErrorType.InvalidParameterValueException, message);
    }

    public static LambdaException conflict(String message) {
        return new LambdaException(ErrorType.ResourceConflictException, message);
    }

    public static LambdaException preconditionFailed(String message) {
        return new LambdaException(ErrorType.PreconditionFailedException, message);
    }

    public static LambdaException validation(String message) {
        return new LambdaException(ErrorType.ValidationException, message);
    }

    public static LambdaException throttled(ThrottleReason reason) {
        return new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.",
                Map.of("Reason", reason.name()));
    }
}
