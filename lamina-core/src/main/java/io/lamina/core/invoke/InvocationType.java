package io.lamina.core.invoke;

/** {@code X-Amz-Invocation-Type}. */
public enum InvocationType {
    RequestResponse, Event, DryRun
}
