package io.lamina.core.sources.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.destinations.FallbackCredentialsProvider;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SQS queue read the way Lambda reads it: long polls of up to 20 s and 10 messages, every system
 * and message attribute, delete after success (and for filtered-out messages), and nothing done for a
 * failed message, which SQS makes visible again when its visibility timeout ends; the queue's redrive
 * policy then moves it to a dead-letter queue after maxReceiveCount receives
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). FIFO queues keep
 * their order because SQS gives no message of a group to any poller while another of that group is
 * in flight.
 */
public final class SqsSource implements RecordSource<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);
    /** SQS's own limits on one ReceiveMessage call. */
    static final int MAX_RECEIVE = 10;
    static final int MAX_WAIT_SECONDS = 20;
    /** Lambda starts five pollers for a standard queue; MaximumConcurrency caps them. */
    static final int DEFAULT_POLLERS = 5;
    /** A cap on pollers of one mapping on one machine, whatever MaximumConcurrency says. */
    static final int MAX_POLLERS = 64;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private static final Message POISON = Message.builder().messageId("stop").build();

    private final int workers;
    private final java.util.concurrent.LinkedBlockingQueue<Message> deletes = new java.util.concurrent.LinkedBlockingQueue<>();
    private final List<Thread> deleters = new ArrayList<>();

    SqsSource(SqsClient sqs, String queueUrl, String queueArn, String region, int workers) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.workers = workers;
        // As many deleters as pollers, so that deletes keep up with batches of one.
        for (int i = 0; i < workers; i++) {
            deleters.add(Thread.ofVirtual().name("sqs-deleter-" + queueArn + "-" + i).start(this::deleteLoop));
        }
    }

    /** Opens the queue a mapping names by ARN, at Lamina's SQS endpoint or wherever the SDK resolves SQS. */
    public static SourceFactory factory() {
        return SqsSource::open;
    }

    static SqsSource open(EventSourceMapping m, SourceFactory.Context ctx) {
        String arn = m.eventSourceArn().orElseThrow();
        String[] p = arn.split(":", 6);
        String region = p[3];
        SqsClient sqs = client(region, ctx);
        try {
            String url = queueUrl(sqs, arn);
            // Each poller holds one concurrency slot, so their number is the mapping's concurrency.
            int workers = Math.min(MAX_POLLERS, m.maximumConcurrency().orElse(DEFAULT_POLLERS));
            return new SqsSource(sqs, url, arn, region, workers);
        } catch (SdkException e) {
            sqs.close();
            throw new SourceException("cannot reach SQS queue " + arn + ": " + e.getMessage(), e);
        }
    }

    /**
     * AWS refuses a mapping whose queue's visibility timeout is shorter than the function's timeout
     * (its message, seen in many users' reports). A queue that cannot be read now is not refused: the
     * poller reports it once it runs.
     */
    public static io.lamina.core.mappings.MappingRegistry.SourceCheck visibilityCheck(SourceFactory.Context ctx) {
        // Only where an SQS endpoint is configured: without one, every CreateEventSourceMapping would
        // wait on AWS's public endpoint, which a local set-up rarely means.
        boolean configured = ctx.serviceEndpoints().containsKey("sqs") || System.getenv("AWS_ENDPOINT_URL_SQS") != null
                || System.getenv("AWS_ENDPOINT_URL") != null;
        return (m, functionTimeout) -> {
            if (m.kind() != io.lamina.core.mappings.SourceKind.SQS || !configured) {
                return;
            }
            String arn = m.eventSourceArn().orElseThrow();
            Optional<Integer> visibility;
            try (SqsClient sqs = client(arn.split(":", 6)[3], ctx)) {
                visibility = Optional.ofNullable(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl(sqs, arn))
                        .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT))
                        .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT))
                        .map(Integer::parseInt);
            } catch (SdkException | NumberFormatException e) {
                return;
            }
            if (visibility.isPresent() && visibility.get() < functionTimeout) {
                throw io.lamina.core.errors.LambdaException.invalidParameter("Queue visibility timeout: " + visibility.get()
                        + " seconds is less than Function timeout: " + functionTimeout + " seconds");
            }
        };
    }

    private static String queueUrl(SqsClient sqs, String arn) {
        String[] p = arn.split(":", 6);
        return sqs.getQueueUrl(r -> r.queueName(p[5]).queueOwnerAWSAccountId(p[4])).queueUrl();
    }

    private static SqsClient client(String region, SourceFactory.Context ctx) {
        SqsClientBuilder b = SqsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(new FallbackCredentialsProvider(DefaultCredentialsProvider.builder().build()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        // Above the 20 s long poll.
                        .socketTimeout(Duration.ofSeconds(MAX_WAIT_SECONDS + 10)));
        Optional.ofNullable(ctx.serviceEndpoints().get("sqs")).ifPresent(b::endpointOverride);
        return b.build();
    }

    @Override
    public Redelivery redelivery() {
        return Redelivery.BY_SOURCE;
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public List<Message> poll(int max, Duration wait) {
        // A wait under a second still long-polls for one: SQS counts in whole seconds, and a short poll
        // would spin until the batching window ends.
        int seconds = (int) Math.min(MAX_WAIT_SECONDS, Math.max(1, (wait.toMillis() + 999) / 1000));
        try {
            return sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(Math.min(MAX_RECEIVE, max))
                    .waitTimeSeconds(seconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
        } catch (SdkException e) {
            throw new SourceException("receiving from " + queueArn + ": " + e.getMessage(), e);
        }
    }

    /** A receive costs the same for 1 message as for 10: always ask for 10. */
    @Override
    public int pollSize(int wanted) {
        return MAX_RECEIVE;
    }

    @Override
    public int eventSize(Message m) {
        return SqsEvents.record(m, queueArn, region).toString().getBytes(StandardCharsets.UTF_8).length + 1;
    }

    @Override
    public String filterView(Message m) {
        return SqsEvents.record(m, queueArn, region).toString();
    }

    @Override
    public byte[] event(List<Message> batch) {
        return SqsEvents.event(batch, queueArn, region).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** SQS's identifier is the message id. */
    @Override
    public Optional<Message> identified(List<Message> batch, JsonNode itemIdentifier) {
        if (!itemIdentifier.isTextual()) {
            return Optional.empty();
        }
        String id = itemIdentifier.asText();
        return batch.stream().filter(m -> m.messageId().equals(id)).findFirst();
    }

    /**
     * Deletes are handed to one deleter thread that sends them ten to a call, so a worker goes back to its
     * next batch without waiting; a crash before a delete only lets the message run again.
     */
    @Override
    public void acknowledge(List<Message> records) {
        deletes.addAll(records);
    }

    private void deleteLoop() {
        List<Message> chunk = new ArrayList<>(MAX_RECEIVE);
        while (true) {
            try {
                Message first = deletes.take();
                if (first == POISON) {
                    return;
                }
                chunk.add(first);
                deletes.drainTo(chunk, MAX_RECEIVE - 1);
                // A stop signal taken with the chunk is meant for this deleter: send the chunk, then stop.
                boolean last = chunk.remove(POISON);
                while (chunk.remove(POISON)) {
                    deletes.add(POISON); // another deleter's
                }
                delete(chunk);
                chunk.clear();
                if (last) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void delete(List<Message> chunk) {
        var entries = new ArrayList<DeleteMessageBatchRequestEntry>(chunk.size());
        for (int j = 0; j < chunk.size(); j++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(j))
                    .receiptHandle(chunk.get(j).receiptHandle()).build());
        }
        try {
            DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (r.hasFailed() && !r.failed().isEmpty()) {
                // Typically an expired receipt handle: the message is received and run again.
                LOG.warn("{}: {} messages could not be deleted: {}", queueArn, r.failed().size(),
                        r.failed().get(0).message());
            }
        } catch (SdkException e) {
            // Not lost: the messages become visible again and run once more.
            LOG.warn("{}: deleting {} messages failed: {}", queueArn, chunk.size(), e.getMessage());
        }
    }

    /** Messages read but not run (the mapping stopped) are made visible again at once. */
    @Override
    public void unrun(List<Message> records) {
        for (int i = 0; i < records.size(); i += MAX_RECEIVE) {
            List<Message> chunk = records.subList(i, Math.min(records.size(), i + MAX_RECEIVE));
            var entries = new ArrayList<ChangeMessageVisibilityBatchRequestEntry>(chunk.size());
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (SdkException e) {
                // They come back when their visibility timeout ends.
                LOG.warn("{}: could not return {} unrun messages: {}", queueArn, chunk.size(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        deleters.forEach(d -> deletes.add(POISON));
        try {
            for (Thread d : deleters) {
                d.join(java.time.Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sqs.close();
    }
}
