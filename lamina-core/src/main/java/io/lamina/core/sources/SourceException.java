package io.lamina.core.sources;

import java.util.Optional;

/**
 * A source could not be reached or read; the poller records it in LastProcessingResult and tries again.
 * A source that knows what went wrong (authentication, authorization) names the problem as AWS reports it;
 * otherwise the mapping shows the generic connection error.
 */
public final class SourceException extends RuntimeException {
    private final String problem;

    public SourceException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public SourceException(String message) {
        this(message, null, null);
    }

    private SourceException(String message, Throwable cause, String problem) {
        super(message, cause);
        this.problem = problem;
    }

    /** A failure the mapping reports as {@code problem} in LastProcessingResult. */
    public static SourceException withProblem(String problem, String message, Throwable cause) {
        return new SourceException(message, cause, problem);
    }

    /** The LastProcessingResult this failure sets, when the source could tell more than "connection error". */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
