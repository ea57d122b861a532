package io.lamina.core.function;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settable configuration of a function as a caller gave it: on create, missing values take
 * AWS's defaults; on update, missing values stay as they are.
 *
 * @param deadLetterTargetArn {@code DeadLetterConfig.TargetArn} when the caller sent one; an empty string
 *                            removes the dead-letter queue on update (and means none on create)
 */
public record FunctionSpec(
        Optional<String> runtime,
        Optional<String> handler,
        Optional<String> role,
        Optional<Integer> memorySize,
        Optional<Integer> timeout,
        Optional<String> description,
        Optional<Map<String, String>> environment,
        Optional<List<String>> architectures,
        Optional<Integer> ephemeralStorageSize,
        Optional<String> tracingMode,
        Optional<String> logFormat,
        Optional<String> logGroup,
        Optional<String> deadLetterTargetArn) {

    /** A spec without a dead-letter setting (most callers never set one). */
    public FunctionSpec(Optional<String> runtime, Optional<String> handler, Optional<String> role,
                        Optional<Integer> memorySize, Optional<Integer> timeout, Optional<String> description,
                        Optional<Map<String, String>> environment, Optional<List<String>> architectures,
                        Optional<Integer> ephemeralStorageSize, Optional<String> tracingMode,
                        Optional<String> logFormat, Optional<String> logGroup) {
        this(runtime, handler, role, memorySize, timeout, description, environment, architectures,
                ephemeralStorageSize, tracingMode, logFormat, logGroup, Optional.empty());
    }

    public static FunctionSpec empty() {
        return new FunctionSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
