package io.lamina.core.environment;

/** The error types Lambda itself (not the function) reports for an invocation. */
public enum PlatformErrorType {
    SANDBOX_TIMEDOUT("Sandbox.Timedout"),
    RUNTIME_EXIT_ERROR("Runtime.ExitError"),
    RESPONSE_SIZE_TOO_LARGE("Function.ResponseSizeTooLarge"),
    /** A provided.* function whose {@code bootstrap} is missing or cannot be executed. */
    INVALID_ENTRYPOINT("Runtime.InvalidEntrypoint"),
    RUNTIME_UNAVAILABLE("Runtime.Unavailable");

    private final String wireName;

    PlatformErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
