package io.lamina.core.destinations;

import io.lamina.core.errors.LambdaException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Chooses the target by the ARN's service: {@code sqs}, {@code sns}, {@code events} (an
 * {@code event-bus/...}) or {@code lambda} (a {@code function:...}); {@code s3} buckets take event source
 * mappings' OnFailure documents only. The SDK-backed {@link Channels}
 * are made on the first delivery that needs them, so a Lamina that never delivers never loads the SDK.
 */
final class ArnRoutedDestinations implements Destinations {
    static final String SOURCE = "lambda";
    static final String DETAIL_TYPE_SUCCESS = "Lambda Function Invocation Result - Success";
    static final String DETAIL_TYPE_FAILURE = "Lambda Function Invocation Result - Failure";

    private final BiConsumer<String, byte[]> invokeFunctionAsync;
    private final Supplier<Channels> channelsFactory;
    private final ReentrantLock lock = new ReentrantLock();
    private Channels channels;
    private boolean closed;

    ArnRoutedDestinations(BiConsumer<String, byte[]> invokeFunctionAsync, Supplier<Channels> channelsFactory) {
        this.invokeFunctionAsync = invokeFunctionAsync;
        this.channelsFactory = channelsFactory;
    }

    @Override
    public void deliver(String destinationArn, DestinationRecord record) {
        Arn arn = parse(destinationArn);
        String json = record.toJson();
        switch (arn.service()) {
            case "sqs" -> channels().sendMessage(arn, json, Map.of());
            case "sns" -> channels().publish(arn, json, Map.of());
            case "events" -> {
                if (!arn.resource().startsWith("event-bus/")) {
                    throw unsupported(destinationArn, "an EventBridge destination must be an event bus");
                }
                // Resources as AWS sets them: the bus and the invoked (qualified) function.
                channels().putEvent(arn, SOURCE, record.success() ? DETAIL_TYPE_SUCCESS : DETAIL_TYPE_FAILURE,
                        json, List.of(arn.text(), record.functionArn()));
            }
            case "lambda" -> invoke(arn, json);
            default -> throw unsupported(destinationArn,
                    "destinations are SQS queues, SNS topics, EventBridge buses and Lambda functions");
        }
    }

    @Override
    public void sendDocument(String destinationArn, String json) {
        Arn arn = parse(destinationArn);
        switch (arn.service()) {
            case "sqs" -> channels().sendMessage(arn, json, Map.of());
            case "sns" -> channels().publish(arn, json, Map.of());
            default -> throw unsupported(destinationArn, "an event source mapping's OnFailure is an SQS queue or an SNS topic");
        }
    }

    @Override
    public void putDocument(String bucketArn, String key, String json) {
        Arn arn = parse(bucketArn);
        if (!arn.service().equals("s3") || arn.resource().contains("/")) {
            throw unsupported(bucketArn, "an S3 destination is a bucket, arn:aws:s3:::bucket");
        }
        // AWS documents no content type for these objects; JSON is what they hold.
        channels().putObject(arn, key, json, "application/json");
    }

    @Override
    public void deadLetter(String targetArn, DeadLetter letter) {
        Arn arn = parse(targetArn);
        // Insertion order kept so the attributes read in a stable order in tests and logs.
        Map<String, Channels.MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put("RequestID", Channels.MessageAttribute.string(letter.requestId()));
        attributes.put("ErrorCode", Channels.MessageAttribute.number(letter.errorCode()));
        attributes.put("ErrorMessage", Channels.MessageAttribute.string(letter.attributeErrorMessage()));
        String body = new String(letter.event(), StandardCharsets.UTF_8);
        switch (arn.service()) {
            case "sqs" -> channels().sendMessage(arn, body, attributes);
            case "sns" -> channels().publish(arn, body, attributes);
            default -> throw unsupported(targetArn, "a dead-letter target is an SQS queue or an SNS topic");
        }
    }

    private void invoke(Arn arn, String json) {
        if (!arn.resource().startsWith("function:")) {
            throw unsupported(arn.text(), "a Lambda destination must be a function");
        }
        try {
            invokeFunctionAsync.accept(arn.text(), json.getBytes(StandardCharsets.UTF_8));
        } catch (LambdaException e) {
            throw new DeliveryException("Could not invoke destination function " + arn + ": "
                    + e.type() + ": " + e.getMessage(), e);
        }
    }

    private Channels channels() {
        lock.lock();
        try {
            if (closed) {
                throw new DeliveryException("Destinations are closed");
            }
            if (channels == null) {
                channels = channelsFactory.get();
            }
            return channels;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Channels toClose;
        lock.lock();
        try {
            closed = true;
            toClose = channels;
            channels = null;
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private static Arn parse(String text) {
        return Arn.parse(text).orElseThrow(() -> new DeliveryException("Not an ARN: '" + text + "'"));
    }

    private static DeliveryException unsupported(String arn, String why) {
        return new DeliveryException("Unsupported destination " + arn + ": " + why);
    }
}
