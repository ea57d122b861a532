package io.lamina.apimodel;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of validating an input against its model.
 *
 * @param violations the failed constraints, in the order AWS reports them
 */
public record ValidationResult(List<Violation> violations) {

    public ValidationResult {
        violations = List.copyOf(violations);
    }

    public boolean valid() { return violations.isEmpty(); }

    /**
     * The {@code ValidationException} message:
     * {@code 1 validation error detected: Value ...} or
     * {@code 2 validation errors detected: Value ...; Value ...}. Empty when valid.
     */
    public Optional<String> message() {
        return violations.isEmpty() ? Optional.empty() : Optional.of(render(violations));
    }

    /**
     * Renders violations the way AWS does. Public so that a caller can word a check of its own the same
     * way (Lambda answers a CreateFunction name over 64 characters with this text, under
     * {@code InvalidParameterValueException}).
     */
    public static String render(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations");
        }
        int n = violations.size();
        return n + (n == 1 ? " validation error detected: " : " validation errors detected: ")
                + violations.stream().map(Violation::message).collect(Collectors.joining("; "));
    }
}
