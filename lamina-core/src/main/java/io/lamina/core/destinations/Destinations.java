package io.lamina.core.destinations;

/**
 * Sends the outcome of an asynchronous invocation to where the function's configuration says:
 * an {@code OnSuccess}/{@code OnFailure} destination (function, queue, topic, event bus) or the
 * legacy dead-letter queue. Both calls are synchronous and throw {@link DeliveryException} when the
 * target cannot be reached, so that the caller keeps the outcome and tries again later.
 */
public interface Destinations {

    /** Delivers an invocation record to a destination ARN. */
    void deliver(String destinationArn, DestinationRecord record);

    /** Sends the original event to a dead-letter queue or topic ({@code DeadLetterConfig.TargetArn}). */
    void deadLetter(String targetArn, DeadLetter letter);
}
