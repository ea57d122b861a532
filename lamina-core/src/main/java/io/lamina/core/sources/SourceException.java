package io.lamina.core.sources;

/** A source could not be reached or read; the poller records it in LastProcessingResult and tries again. */
public final class SourceException extends RuntimeException {
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
