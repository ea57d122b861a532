package io.lamina.apimodel;

/**
 * One failed constraint, as AWS reports it inside a {@code ValidationException}.
 *
 * @param path    the member path AWS prints: {@code functionName}, {@code vpcConfig.subnetIds},
 *                {@code fileSystemConfigs.1.member.arn}
 * @param kind    which constraint failed
 * @param message {@code Value 'x' at 'functionName' failed to satisfy constraint: Member must ...}
 */
public record Violation(String path, Kind kind, String message) {

    /**
     * A violation worded like AWS: {@code Value 'value' at 'path' failed to satisfy constraint: constraint}.
     *
     * @param value the value as AWS prints it ({@code x86_64}, {@code [x86_64, arm64]}, {@code 128}), or
     *              {@code null} for an absent member ({@code Value null at ...})
     */
    public static Violation of(String path, String value, Kind kind, String constraint) {
        String shown = value == null ? "null " : "'" + value + "' ";
        return new Violation(path, kind, "Value " + shown + "at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    /** A violation of a sensitive member, whose value AWS leaves out: {@code Value at 'path' failed ...}. */
    static Violation hidden(String path, Kind kind, String constraint) {
        return new Violation(path, kind, "Value at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    /** The constraint that failed. */
    public enum Kind {
        /** A required member is absent: {@code Member must not be null}. */
        REQUIRED,
        /** {@code Member must have length less than or equal to N}. */
        LENGTH_MAX,
        /** {@code Member must have length greater than or equal to N}. */
        LENGTH_MIN,
        /** {@code Member must have value less than or equal to N}. */
        VALUE_MAX,
        /** {@code Member must have value greater than or equal to N}. */
        VALUE_MIN,
        /** {@code Member must satisfy regular expression pattern: P}. */
        PATTERN,
        /** {@code Member must satisfy enum value set: [a, b]}. */
        ENUM,
        /** An element of a list failed: {@code Member must satisfy constraint: [...]}. */
        LIST_ELEMENT,
        /** A key of a map failed: {@code Map keys must satisfy constraint: [...]}. */
        MAP_KEY,
        /** A value of a map failed: {@code Map value must satisfy constraint: [...]}. */
        MAP_VALUE
    }
}
