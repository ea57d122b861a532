package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.core.destinations.DestinationRecord.Condition;
import io.lamina.core.destinations.DestinationRecord.Response;
import io.lamina.core.errors.LambdaException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ArnRoutedDestinationsTest {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST";

    final RecordingChannels channels = new RecordingChannels();
    final AtomicInteger channelsMade = new AtomicInteger();
    final List<String> invoked = new ArrayList<>();
    final List<String> invokedPayloads = new ArrayList<>();
    final ArnRoutedDestinations destinations = new ArnRoutedDestinations(
            (arn, payload) -> {
                invoked.add(arn);
                invokedPayloads.add(new String(payload, StandardCharsets.UTF_8));
            },
            () -> {
                channelsMade.incrementAndGet();
                return channels;
            });

    @Test
    void deliver_toAFunctionArn_invokesItWithTheRecordJsonAndNeverMakesSdkChannels() {
        DestinationRecord record = record(Condition.Success);

        destinations.deliver("arn:aws:lambda:us-east-1:000000000000:function:audit:live", record);

        assertThat(invoked).containsExactly("arn:aws:lambda:us-east-1:000000000000:function:audit:live");
        assertThat(invokedPayloads).containsExactly(record.toJson());
        assertThat(channelsMade).hasValue(0);
    }

    @Test
    void deliver_toAFunctionThatCannotBeInvoked_isADeliveryException() {
        ArnRoutedDestinations missing = new ArnRoutedDestinations((arn, payload) -> {
            throw LambdaException.notFound("Function not found: " + arn);
        }, () -> channels);

        assertThatThrownBy(() -> missing.deliver("arn:aws:lambda:us-east-1:000000000000:function:gone",
                record(Condition.Success)))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContaining("ResourceNotFoundException")
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:gone");
    }

    @Test
    void deliver_toABus_putsOneEventWithLambdaSourceFailureDetailTypeAndBothArnsAsResources() {
        String bus = "arn:aws:events:us-east-1:000000000000:event-bus/orders";
        DestinationRecord record = record(Condition.RetriesExhausted);

        destinations.deliver(bus, record);

        assertThat(channels.calls).containsExactly("putEvent " + bus + " lambda "
                + "Lambda Function Invocation Result - Failure " + record.toJson() + " [" + bus + ", " + FUNCTION + "]");
    }

    @Test
    void deliver_toAQueueAndATopic_sendsTheRecordJsonWithoutAttributes() {
        DestinationRecord record = record(Condition.Success);

        destinations.deliver("arn:aws:sqs:us-east-1:000000000000:ok", record);
        destinations.deliver("arn:aws:sns:us-east-1:000000000000:ok", record);

        assertThat(channels.calls).containsExactly(
                "sendMessage arn:aws:sqs:us-east-1:000000000000:ok " + record.toJson() + " {}",
                "publish arn:aws:sns:us-east-1:000000000000:ok " + record.toJson() + " {}");
        assertThat(channelsMade).hasValue(1);
    }

    @Test
    void deadLetter_sendsTheEventWithRequestIdErrorCodeAndErrorMessageAttributes() {
        DeadLetter letter = new DeadLetter("{\"raise_error\":1}".getBytes(StandardCharsets.UTF_8),
                "req-1", 200, "Test exception (this is intentional)");

        destinations.deadLetter("arn:aws:sns:us-east-1:000000000000:dlq", letter);

        assertThat(channels.calls).containsExactly("publish arn:aws:sns:us-east-1:000000000000:dlq {\"raise_error\":1} "
                + "{RequestID=MessageAttribute[dataType=String, stringValue=req-1], "
                + "ErrorCode=MessageAttribute[dataType=Number, stringValue=200], "
                + "ErrorMessage=MessageAttribute[dataType=String, stringValue=Test exception (this is intentional)]}");
    }

    @Test
    void putDocument_toABucketArn_putsTheObjectAsJsonInThatBucket() {
        destinations.putDocument("arn:aws:s3:::failed-batches", "aws/lambda/u/t-0/k", "{\"a\":1}");

        assertThat(channels.calls).containsExactly("putObject failed-batches aws/lambda/u/t-0/k application/json {\"a\":1}");
    }

    @Test
    void putDocument_toAnythingButABucket_isADeliveryException() {
        assertThatThrownBy(() -> destinations.putDocument("arn:aws:sqs:us-east-1:000000000000:q", "k", "{}"))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith("an S3 destination is a bucket, arn:aws:s3:::bucket");
        assertThatThrownBy(() -> destinations.putDocument("arn:aws:s3:::bucket/prefix", "k", "{}"))
                .isInstanceOf(DeliveryException.class);
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void unsupportedTargets_areDeliveryExceptionsThatSayWhy() {
        DestinationRecord record = record(Condition.Success);
        DeadLetter letter = new DeadLetter(new byte[0], "r", 200, "m");

        assertThatThrownBy(() -> destinations.deliver("not-an-arn", record))
                .isInstanceOf(DeliveryException.class).hasMessage("Not an ARN: 'not-an-arn'");
        assertThatThrownBy(() -> destinations.deliver("arn:aws:s3:::bucket", record))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("Unsupported destination arn:aws:s3:::bucket: destinations are SQS queues, SNS topics, "
                        + "EventBridge buses and Lambda functions");
        assertThatThrownBy(() -> destinations.deliver("arn:aws:events:us-east-1:000000000000:rule/r", record))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith("an EventBridge destination must be an event bus");
        assertThatThrownBy(() -> destinations.deliver("arn:aws:lambda:us-east-1:000000000000:layer:l:1", record))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith("a Lambda destination must be a function");
        assertThatThrownBy(() -> destinations.deadLetter("arn:aws:events:us-east-1:000000000000:event-bus/b", letter))
                .isInstanceOf(DeliveryException.class)
                .hasMessageEndingWith("a dead-letter target is an SQS queue or an SNS topic");
        assertThat(channels.calls).isEmpty();
        assertThat(invoked).isEmpty();
    }

    @Test
    void close_closesTheChannelsAndLaterDeliveriesFail() {
        destinations.deliver("arn:aws:sqs:us-east-1:000000000000:q", record(Condition.Success));

        destinations.close();

        assertThat(channels.closed).isTrue();
        assertThatThrownBy(() -> destinations.deliver("arn:aws:sqs:us-east-1:000000000000:q", record(Condition.Success)))
                .isInstanceOf(DeliveryException.class).hasMessage("Destinations are closed");
    }

    static DestinationRecord record(Condition condition) {
        return new DestinationRecord(1_700_000_000_000L, "req-1", FUNCTION, condition, 1,
                "{\"order\":7}".getBytes(StandardCharsets.UTF_8),
                Optional.of(new Response(200, "$LATEST", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8))));
    }

    /** Records each call as one line. */
    static final class RecordingChannels implements Channels {
        final List<String> calls = new ArrayList<>();
        boolean closed;

        @Override
        public void sendMessage(Arn queue, String body, Map<String, MessageAttribute> attributes) {
            calls.add("sendMessage " + queue + " " + body + " " + attributes);
        }

        @Override
        public void publish(Arn topic, String message, Map<String, MessageAttribute> attributes) {
            calls.add("publish " + topic + " " + message + " " + attributes);
        }

        @Override
        public void putEvent(Arn bus, String source, String detailType, String detail, List<String> resources) {
            calls.add("putEvent " + bus + " " + source + " " + detailType + " " + detail + " " + resources);
        }

        @Override
        public void putObject(Arn bucket, String key, String body, String contentType) {
            calls.add("putObject " + bucket.resource() + " " + key + " " + contentType + " " + body);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
