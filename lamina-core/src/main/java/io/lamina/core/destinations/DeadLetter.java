package io.lamina.core.destinations;

/**
 * An event sent to a dead-letter queue or topic: the original event as the message body, with the
 * {@code RequestID}, {@code ErrorCode} and {@code ErrorMessage} message attributes.
 */
public record DeadLetter(byte[] event, String requestId, int errorCode, String errorMessage) {
}
