package io.lamina.core.environment;

/**
 * A runtime called the Runtime API out of turn. Rendered as the Runtime API's error document
 * ({@code {"errorMessage":..,"errorType":..}}) with {@link #status()}.
 */
public final class RuntimeProtocolException extends RuntimeException {
    private final int status;
    private final String errorType;

    private RuntimeProtocolException(int status, String errorType, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
    }

    public static RuntimeProtocolException invalidRequestId(String id) {
        return new RuntimeProtocolException(400, "InvalidRequestID", "Invalid request ID: " + id);
    }

    public static RuntimeProtocolException invalidStateTransition(String from, String to) {
        return new RuntimeProtocolException(403, "InvalidStateTransition",
                "State transition from " + from + " to " + to + " failed for runtime. Error: State transition is not allowed");
    }

    public static RuntimeProtocolException tooLarge(long max) {
        return new RuntimeProtocolException(413, "RequestEntityTooLarge",
                "Exceeded maximum allowed payload size (" + max + " bytes).");
    }

    public static RuntimeProtocolException unknownEnvironment() {
        return new RuntimeProtocolException(404, "UnknownEnvironment", "No execution environment has this Runtime API address.");
    }

    public static RuntimeProtocolException gone() {
        return new RuntimeProtocolException(410, "EnvironmentShutdown", "The execution environment is shutting down.");
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }
}
