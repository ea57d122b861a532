package io.lamina.core.sources.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * How Lambda presents a record of one source kind to the filter patterns (AWS "Control which events
 * Lambda sends to your function" and its per-source pages). Every field of the record stays as it is
 * in the Lambda event except the data key, which is decoded and parsed:
 * <ul>
 *   <li>SQS: the record; {@code body} parsed when it holds a JSON object or array, else left as the
 *       plain string.</li>
 *   <li>Kinesis: the record's {@code kinesis} object (patterns name {@code data}, {@code partitionKey}…
 *       at the top, as in AWS's examples); {@code data} base64-decoded and parsed when JSON.</li>
 *   <li>DynamoDB Streams: the record; {@code dynamodb} is already JSON.</li>
 *   <li>Amazon MSK and self-managed Kafka: one record of {@code records.<topic-partition>[]};
 *       {@code value} base64-decoded, parsed when JSON, else the decoded string.</li>
 *   <li>Amazon MQ (ActiveMQ and RabbitMQ): one message; {@code data} base64-decoded, parsed when JSON,
 *       else the decoded string.</li>
 * </ul>
 * Lambda compares formats before matching: a pattern whose data key holds an object (a JSON pattern)
 * never matches a record whose data is a plain string, and a pattern whose data key holds a list of
 * rules (a plain-string pattern) never matches a record whose data is JSON. Kinesis and DynamoDB
 * Streams refuse plain-string patterns on their data key when the mapping is created or updated.
 */
public interface FilterSource {

    /** The key that holds the record's data, if the source kind has one. */
    Optional<String> dataKey();

    /** Whether a pattern on the data key must be a JSON object (Kinesis, DynamoDB Streams). */
    boolean dataPatternMustBeJson();

    /**
     * What the engine matches against, made from a record in the source's Lambda event form.
     *
     * @throws IllegalArgumentException when the record is not a JSON object
     */
    FilterSubject subject(String recordJson);

    /** The format Lambda sees in a record's data key. */
    enum DataFormat { JSON, PLAIN, ABSENT }

    /** A record as the patterns see it, and the format of its data key. */
    record FilterSubject(JsonNode json, DataFormat dataFormat) {}

    static FilterSource sqs() {
        return new DataKeySource(Optional.of("body"), false, false, Optional.empty());
    }

    static FilterSource kinesis() {
        return new DataKeySource(Optional.of("data"), true, true, Optional.of("kinesis"));
    }

    static FilterSource dynamodbStreams() {
        return new DataKeySource(Optional.of("dynamodb"), false, true, Optional.empty());
    }

    /** Amazon MSK and self-managed Apache Kafka. */
    static FilterSource kafka() {
        return new DataKeySource(Optional.of("value"), true, false, Optional.empty());
    }

    /** Amazon MQ, ActiveMQ and RabbitMQ brokers alike. */
    static FilterSource mq() {
        return new DataKeySource(Optional.of("data"), true, false, Optional.empty());
    }

    /** No data key: the record is matched exactly as given, as EventBridge matches an event. */
    static FilterSource plain() {
        return new DataKeySource(Optional.empty(), false, false, Optional.empty());
    }
}
