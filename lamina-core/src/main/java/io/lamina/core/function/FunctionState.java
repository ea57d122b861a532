package io.lamina.core.function;

/** {@code State} of a function version as AWS reports it. */
public enum FunctionState {
    Pending, Active, Inactive, Failed
}
