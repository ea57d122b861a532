package io.lamina.core.errors;

/** The {@code Reason} values of AWS's TooManyRequestsException that Lamina produces. */
public enum ThrottleReason {
    /** The function's reserved concurrency is in use (or zero). */
    ReservedFunctionConcurrentInvocationLimitExceeded,
    /** The account's unreserved concurrency is in use. */
    ConcurrentInvocationLimitExceeded
}
