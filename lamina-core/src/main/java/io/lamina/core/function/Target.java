package io.lamina.core.function;

/**
 * What an invocation runs: the function record, the version chosen (after alias routing) and the
 * ARN the caller invoked (with the qualifier it used, if any).
 */
public record Target(FunctionRecord record, FunctionVersion version, String invokedArn) {
}
