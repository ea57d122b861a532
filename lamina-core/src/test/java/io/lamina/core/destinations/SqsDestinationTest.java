package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lamina.core.destinations.DestinationRecord.Condition;
import io.lamina.core.destinations.DestinationRecord.Response;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Against ElasticMQ, a real SQS-compatible server speaking the JSON protocol SDK 2.57 uses, run in-process. */
class SqsDestinationTest {
    static final String ACCOUNT = "000000000000";
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    static SQSRestServer elasticMq;
    static URI endpoint;
    static SqsClient sqs;

    @BeforeAll
    static void startElasticMq() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSAccountId(ACCOUNT).withAWSRegion("us-east-1").start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
        elasticMq.stopAndWait();
    }

    @Test
    void deliver_toAQueueArn_sendsTheRecordJsonAsTheBody() {
        String url = sqs.createQueue(b -> b.queueName("on-success")).queueUrl();
        DestinationRecord record = new DestinationRecord(Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli(),
                "7b5d3ae4-0000-4000-8000-000000000001", "arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST",
                Condition.Success, 1, "{\"order\":7}".getBytes(StandardCharsets.UTF_8),
                Optional.of(new Response(200, "$LATEST", Optional.empty(), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8))));

        try (Destinations destinations = destinations(Map.of("sqs", endpoint))) {
            destinations.deliver("arn:aws:sqs:us-east-1:000000000000:on-success", record);
        }

        Message message = receiveOne(url);
        assertThat(message.body()).isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2026-01-02T03:04:05.678Z\","
                + "\"requestContext\":{\"requestId\":\"7b5d3ae4-0000-4000-8000-000000000001\","
                + "\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST\","
                + "\"condition\":\"Success\",\"approximateInvokeCount\":1},\"requestPayload\":{\"order\":7},"
                + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\"},\"responsePayload\":{\"ok\":true}}");
        assertThat(message.messageAttributes()).isEmpty();
    }

    @Test
    void deadLetter_toAQueueArn_sendsTheEventWithTheThreeAttributesAsAwsTypesThem() {
        String url = sqs.createQueue(b -> b.queueName("dlq")).queueUrl();
        DeadLetter letter = new DeadLetter("{\"raise_error\":1}".getBytes(StandardCharsets.UTF_8),
                "7b5d3ae4-0000-4000-8000-000000000002", 200, "Test exception (this is intentional)");

        try (Destinations destinations = destinations(Map.of("sqs", endpoint))) {
            destinations.deadLetter("arn:aws:sqs:us-east-1:000000000000:dlq", letter);
        }

        Message message = receiveOne(url);
        assertThat(message.body()).isEqualTo("{\"raise_error\":1}");
        assertThat(message.messageAttributes()).isEqualTo(Map.of(
                "RequestID", MessageAttributeValue.builder().dataType("String")
                        .stringValue("7b5d3ae4-0000-4000-8000-000000000002").build(),
                "ErrorCode", MessageAttributeValue.builder().dataType("Number").stringValue("200").build(),
                "ErrorMessage", MessageAttributeValue.builder().dataType("String")
                        .stringValue("Test exception (this is intentional)").build()));
    }

    @Test
    void deliver_withoutAnOverride_usesTheEndpointTheSdkResolves() {
        // aws.endpointUrlSqs is the system-property twin of AWS_ENDPOINT_URL_SQS, read by the SDK itself.
        String url = sqs.createQueue(b -> b.queueName("sdk-resolved")).queueUrl();
        System.setProperty("aws.endpointUrlSqs", endpoint.toString());
        try (Destinations destinations = destinations(Map.of())) {
            destinations.deliver("arn:aws:sqs:us-east-1:000000000000:sdk-resolved",
                    ArnRoutedDestinationsTest.record(Condition.Success));
        } finally {
            System.clearProperty("aws.endpointUrlSqs");
        }

        assertThat(receiveOne(url).body()).isEqualTo(ArnRoutedDestinationsTest.record(Condition.Success).toJson());
    }

    @Test
    void deliver_toAQueueThatDoesNotExist_isADeliveryException() {
        try (Destinations destinations = destinations(Map.of("sqs", endpoint))) {
            assertThatThrownBy(() -> destinations.deliver("arn:aws:sqs:us-east-1:000000000000:missing",
                    ArnRoutedDestinationsTest.record(Condition.Success)))
                    .isInstanceOf(DeliveryException.class)
                    .hasMessageStartingWith("SQS GetQueueUrl to arn:aws:sqs:us-east-1:000000000000:missing failed: ");
        }
    }

    @Test
    void deliver_toAnUnreachableEndpoint_failsFastWithADeliveryException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();
        try (Destinations destinations = destinations(Map.of("sqs", URI.create("http://127.0.0.1:" + closedPort)))) {
            assertThatThrownBy(() -> destinations.deliver("arn:aws:sqs:us-east-1:000000000000:q",
                    ArnRoutedDestinationsTest.record(Condition.Success)))
                    .isInstanceOf(DeliveryException.class)
                    .hasMessageStartingWith("SQS GetQueueUrl to arn:aws:sqs:us-east-1:000000000000:q failed: ");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SdkChannels.API_CALL_TIMEOUT);
    }

    private Message receiveOne(String url) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)
                .messageAttributeNames("All")).messages();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    /** Static test credentials: the default chain is never consulted, so no metadata endpoint is probed. */
    static Destinations destinations(Map<String, URI> overrides) {
        return new ArnRoutedDestinations((arn, payload) -> { },
                () -> new SdkChannels(overrides, "us-east-1", CREDENTIALS));
    }
}
