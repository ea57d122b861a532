package io.lamina.core.destinations;

/** A destination could not be reached or refused the record; the caller retries later. */
public final class DeliveryException extends RuntimeException {
    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeliveryException(String message) {
        super(message);
    }
}
