package io.lamina.core.errors;

/**
 * The AWS Lambda API error types Lamina answers with: HTTP status, the JSON key AWS uses for the
 * message (the service model spells it {@code Message} for some shapes and {@code message} for
 * others), and whether the body carries {@code "Type":"User"}.
 */
public enum ErrorType {
    ResourceNotFoundException(404, "Message", true),
    ResourceConflictException(409, "message", true),
    ResourceInUseException(400, "Message", true),
    InvalidParameterValueException(400, "message", true),
    InvalidRequestContentException(400, "message", true),
    InvalidRuntimeException(502, "Message", true),
    PreconditionFailedException(412, "message", true),
    PolicyLengthExceededException(400, "message", true),
    RequestTooLargeException(413, "message", true),
    RequestEntityTooLargeException(413, "message", false),
    TooManyRequestsException(429, "message", true),
    ServiceException(500, "Message", true),
    ValidationException(400, "message", false),
    SerializationException(400, "message", false),
    UnsupportedMediaTypeException(415, "message", true),
    UnknownOperationException(404, "message", false),
    AccessDeniedException(403, "Message", false);

    private final int status;
    private final String messageKey;
    private final boolean userType;

    ErrorType(int status, String messageKey, boolean userType) {
        this.status = status;
        this.messageKey = messageKey;
        this.userType = userType;
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }

    /** Whether AWS adds {@code "Type": "User"} to the error body. */
    public boolean userType() {
        return userType;
    }
}
