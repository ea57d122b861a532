package io.lamina.core.function;

/** {@code LastUpdateStatus} of a function as AWS reports it. */
public enum LastUpdateStatus {
    InProgress, Successful, Failed
}
