package io.lamina.core.destinations;

import java.net.URI;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Sends the outcome of an asynchronous invocation to where the function's configuration says:
 * an {@code OnSuccess}/{@code OnFailure} destination (function, queue, topic, event bus) or the
 * legacy dead-letter queue. Both calls are synchronous and throw {@link DeliveryException} when the
 * target cannot be reached, so that the caller keeps the outcome and tries again later.
 */
public interface Destinations extends AutoCloseable {

    /** Delivers an invocation record to a destination ARN. */
    void deliver(String destinationArn, DestinationRecord record);

    /**
     * Sends a document as it is to an SQS queue or SNS topic: an event source mapping's OnFailure record.
     */
    void sendDocument(String destinationArn, String json);

    /**
     * Stores a document as the object {@code key} in the S3 bucket an {@code arn:aws:s3:::bucket} ARN names:
     * an event source mapping's OnFailure record for an S3 destination.
     */
    default void putDocument(String bucketArn, String key, String json) {
        throw new DeliveryException("Unsupported destination " + bucketArn + ": no S3 delivery here");
    }

    /** Sends the original event to a dead-letter queue or topic ({@code DeadLetterConfig.TargetArn}). */
    void deadLetter(String targetArn, DeadLetter letter);

    /** Releases the AWS SDK clients made so far; deliveries after this throw {@link DeliveryException}. */
    @Override
    void close();

    /**
     * Destinations chosen by ARN: {@code sqs} queues, {@code sns} topics, {@code events} buses, {@code s3} buckets through
     * the AWS SDK, and {@code lambda} functions through {@code invokeFunctionAsync}. Nothing of the SDK
     * is loaded until the first queue, topic or bus delivery.
     *
     * @param endpointOverrides    per SDK service ({@code sqs}, {@code sns}, {@code events}, {@code s3}): the endpoint
     *                             to use instead of the SDK's own resolution ({@code AWS_ENDPOINT_URL_SQS},
     *                             {@code AWS_ENDPOINT_URL}, the config file's {@code services} section, AWS)
     * @param defaultRegion        the region of ARNs that name none
     * @param invokeFunctionAsync  queues an {@code Event} invocation of a function ARN (qualified or not)
     *                             with a payload; may throw {@link io.lamina.core.errors.LambdaException}
     */
    static Destinations create(Map<String, URI> endpointOverrides, String defaultRegion,
                               BiConsumer<String, byte[]> invokeFunctionAsync) {
        Map<String, URI> overrides = Map.copyOf(endpointOverrides);
        return new ArnRoutedDestinations(invokeFunctionAsync,
                () -> SdkChannels.create(overrides, defaultRegion));
    }
}
