package io.lamina.core.destinations;

import java.util.List;
import java.util.Map;

/**
 * The AWS calls destinations need, in Lamina's own types so that routing and its tests never
 * load the SDK. Each call throws {@link DeliveryException} when the service is unreachable or refuses.
 */
interface Channels extends AutoCloseable {

    /** SQS {@code SendMessage} to the queue the ARN names. */
    void sendMessage(Arn queue, String body, Map<String, MessageAttribute> attributes);

    /** SNS {@code Publish} to the topic the ARN names. */
    void publish(Arn topic, String message, Map<String, MessageAttribute> attributes);

    /** EventBridge {@code PutEvents} of one entry on the bus the ARN names. */
    void putEvent(Arn bus, String source, String detailType, String detail, List<String> resources);

    /** S3 {@code PutObject} of a document into the bucket the ARN names. */
    void putObject(Arn bucket, String key, String body, String contentType);

    @Override
    void close();

    /** A message attribute: {@code String} or {@code Number} with its text. */
    record MessageAttribute(String dataType, String stringValue) {
        static MessageAttribute string(String value) {
            return new MessageAttribute("String", value);
        }

        static MessageAttribute number(long value) {
            return new MessageAttribute("Number", Long.toString(value));
        }
    }
}
