package io.lamina.apimodel;

/**
 * A request whose body or parameters cannot be read as the operation's input. Carries the error AWS
 * answers: its code (the {@code x-amzn-ErrorType} / {@code __type}), the HTTP status and the message.
 */
public final class BindException extends RuntimeException {

    /** Body that is not JSON: Lambda's documented error for an unparseable body. */
    public static final String INVALID_REQUEST_CONTENT = "InvalidRequestContentException";
    /** A JSON value or parameter of the wrong type for its member (Coral's deserialization error). */
    public static final String SERIALIZATION = "SerializationException";

    private final String errorCode;
    private final int httpStatus;

    BindException(String errorCode, int httpStatus, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public String errorCode() { return errorCode; }

    public int httpStatus() { return httpStatus; }
}
