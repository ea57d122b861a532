package io.lamina.core.function;

/** Told about registry changes that affect running execution environments or limits. */
public interface FunctionListener {
    /** The function's code or configuration of {@code $LATEST} changed, or the function was deleted. */
    default void latestChanged(String functionName) {
    }

    /** A published version was deleted (or the whole function: then {@code version} is empty). */
    default void versionDeleted(String functionName, String version) {
    }

    default void functionDeleted(String functionName) {
    }

    default void reservedConcurrencyChanged(String functionName, java.util.Optional<Integer> reserved) {
    }
}
