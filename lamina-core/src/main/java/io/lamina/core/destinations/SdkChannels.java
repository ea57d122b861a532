package io.lamina.core.destinations;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * {@link Channels} over the AWS SDK for Java v2: one client per service and region, made on first use,
 * all sharing one {@code url-connection-client}. The endpoint is Lamina's override for the service
 * when it has one, otherwise whatever the SDK resolves ({@code AWS_ENDPOINT_URL_SQS},
 * {@code AWS_ENDPOINT_URL}, the shared config file's {@code services} section, then AWS itself).
 */
final class SdkChannels implements Channels {
    /** Short, so that an unreachable target fails the delivery quickly and the caller retries later. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, URI> endpointOverrides;
    private final String defaultRegion;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, SdkAutoCloseable> clients = new HashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    SdkChannels(Map<String, URI> endpointOverrides, String defaultRegion, AwsCredentialsProvider credentials) {
        this.endpointOverrides = Map.copyOf(endpointOverrides);
        this.defaultRegion = defaultRegion;
        this.credentials = credentials;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /** With the SDK's default credentials chain, or placeholder credentials when it finds none. */
    static SdkChannels create(Map<String, URI> endpointOverrides, String defaultRegion) {
        return new SdkChannels(endpointOverrides, defaultRegion,
                new FallbackCredentialsProvider(DefaultCredentialsProvider.builder().build()));
    }

    @Override
    public void sendMessage(Arn queue, String body, Map<String, MessageAttribute> attributes) {
        SqsClient sqs = client("sqs", queue, SqsClient::builder);
        Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> values = attributes.entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> software.amazon.awssdk.services.sqs.model
                        .MessageAttributeValue.builder()
                        .dataType(e.getValue().dataType()).stringValue(e.getValue().stringValue()).build(),
                        (a, b) -> a, LinkedHashMap::new));
        String url = queueUrl(sqs, queue);
        try {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(values));
        } catch (QueueDoesNotExistException e) {
            queueUrls.remove(queue.text());
            throw failed("SQS SendMessage", queue, e);
        } catch (SdkException e) {
            throw failed("SQS SendMessage", queue, e);
        }
    }

    /** GetQueueUrl once per queue ARN, in the owner's account as the ARN names it. */
    private String queueUrl(SqsClient sqs, Arn queue) {
        String cached = queueUrls.get(queue.text());
        if (cached != null) {
            return cached;
        }
        try {
            String url = sqs.getQueueUrl(b -> {
                b.queueName(queue.resource());
                if (!queue.account().isEmpty()) {
                    b.queueOwnerAWSAccountId(queue.account());
                }
            }).queueUrl();
            queueUrls.put(queue.text(), url);
            return url;
        } catch (SdkException e) {
            throw failed("SQS GetQueueUrl", queue, e);
        }
    }

    @Override
    public void publish(Arn topic, String message, Map<String, MessageAttribute> attributes) {
        SnsClient sns = client("sns", topic, SnsClient::builder);
        Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> values = attributes.entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, e -> software.amazon.awssdk.services.sns.model
                        .MessageAttributeValue.builder()
                        .dataType(e.getValue().dataType()).stringValue(e.getValue().stringValue()).build(),
                        (a, b) -> a, LinkedHashMap::new));
        try {
            sns.publish(b -> b.topicArn(topic.text()).message(message).messageAttributes(values));
        } catch (SdkException e) {
            throw failed("SNS Publish", topic, e);
        }
    }

    @Override
    public void putEvent(Arn bus, String source, String detailType, String detail, List<String> resources) {
        EventBridgeClient events = client("events", bus, EventBridgeClient::builder);
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .source(source).detailType(detailType).detail(detail).resources(resources)
                .eventBusName(bus.text())
                .build();
        PutEventsResponse response;
        try {
            response = events.putEvents(b -> b.entries(entry));
        } catch (SdkException e) {
            throw failed("EventBridge PutEvents", bus, e);
        }
        // PutEvents answers 200 even when it refused the entry: the refusal is in the entry's result.
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            List<String> errors = new ArrayList<>();
            for (PutEventsResultEntry result : response.entries()) {
                if (result.errorCode() != null) {
                    errors.add(result.errorCode() + ": " + result.errorMessage());
                }
            }
            throw new DeliveryException("EventBridge PutEvents to " + bus + " refused the event: "
                    + String.join("; ", errors));
        }
    }

    @Override
    public void putObject(Arn bucket, String key, String body, String contentType) {
        boolean custom = endpointOverrides.containsKey("s3");
        S3Client s3 = client("s3", bucket, () -> {
            var b = S3Client.builder();
            if (custom) {
                // S3-compatible servers are addressed by path (no bucket DNS names) and many of them take no
                // trailing checksums, which the SDK otherwise sends on every upload.
                b.forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            return b;
        });
        try {
            s3.putObject(b -> b.bucket(bucket.resource()).key(key).contentType(contentType),
                    RequestBody.fromString(body, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw failed("S3 PutObject", bucket, e);
        }
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable> C client(
            String service, Arn arn, Supplier<B> builder) {
        String region = arn.regionOr(defaultRegion);
        String key = service + " " + region;
        lock.lock();
        try {
            @SuppressWarnings("unchecked")
            C existing = (C) clients.get(key);
            if (existing != null) {
                return existing;
            }
            B b = builder.get()
                    .region(Region.of(region))
                    .credentialsProvider(credentials)
                    .httpClient(http)
                    .overrideConfiguration(o -> o.apiCallTimeout(API_CALL_TIMEOUT));
            URI override = endpointOverrides.get(service);
            if (override != null) {
                b = b.endpointOverride(override);
            }
            C client = b.build();
            clients.put(key, client);
            return client;
        } finally {
            lock.unlock();
        }
    }

    private static DeliveryException failed(String call, Arn target, SdkException e) {
        String detail = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
                : e.getMessage();
        return new DeliveryException(call + " to " + target + " failed: " + detail, e);
    }

    @Override
    public void close() {
        List<SdkAutoCloseable> toClose;
        lock.lock();
        try {
            toClose = new ArrayList<>(clients.values());
            clients.clear();
        } finally {
            lock.unlock();
        }
        toClose.forEach(SdkAutoCloseable::close);
        http.close();
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
