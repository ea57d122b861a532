package io.lamina.core.sources;

import io.lamina.core.mappings.StopReason;

import java.util.Optional;

/**
 * A source could not be reached or read; the poller records it in LastProcessingResult and tries again.
 * A source that knows what went wrong (authentication, authorization) names the problem as AWS reports it;
 * otherwise the mapping shows the generic connection error. A failure that cannot heal without the user
 * ({@link #unrecoverable}) carries the {@link StopReason} instead of being retried: the poller stops and
 * Lambda disables the mapping with that StateTransitionReason.
 */
public final class SourceException extends RuntimeException {
    private final String problem;
    private final StopReason stopReason;

    public SourceException(String message, Throwable cause) {
        this(message, cause, null, null);
    }

    public SourceException(String message) {
        this(message, null, null, null);
    }

    private SourceException(String message, Throwable cause, String problem, StopReason stopReason) {
        super(message, cause);
        this.problem = problem;
        this.stopReason = stopReason;
    }

    /** A failure the mapping reports as {@code problem} in LastProcessingResult. */
    public static SourceException withProblem(String problem, String message, Throwable cause) {
        return new SourceException(message, cause, problem, null);
    }

    /**
     * A failure that retrying cannot mend (wrong credentials, access refused, a configuration that names what
     * does not exist): the mapping is stopped with {@code reason}, after recording {@code problem}.
     */
    public static SourceException unrecoverable(StopReason reason, String problem, String message, Throwable cause) {
        return new SourceException(message, cause, problem, reason);
    }

    /** The LastProcessingResult this failure sets, when the source could tell more than "connection error". */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Why the mapping must stop, for a failure retrying cannot mend; empty for one worth retrying. */
    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason);
    }
}
