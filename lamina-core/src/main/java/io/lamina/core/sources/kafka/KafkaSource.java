package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.destinations.DeliveryException;
import io.lamina.core.destinations.Destinations;
import io.lamina.core.sources.FailureContext;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One Kafka consumer in the mapping's consumer group. Records are retried in place by the poller, so a
 * partition's order holds; an offset is committed only once every record before it in that partition was
 * acknowledged (processed, filtered out, or given up), so a crash replays records and never skips them.
 * The Kafka consumer is single-threaded: only the poller's one worker calls it, except {@link #wakeup}.
 */
final class KafkaSource implements RecordSource<ConsumerRecord<byte[], byte[]>> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaSource.class);
    /** A synchronous commit (revocation, close) gives up after this rather than the client's 60 s default. */
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Offsets acknowledged are committed at most this often: a commit per batch costs the consumer and the
     * broker's group coordinator a request each (at BatchSize 1 it was most of a record's cost), while a
     * crash only replays what was acknowledged since the last commit.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /** Where a partition with no committed offset starts (the mapping's StartingPosition). */
    sealed interface Start {
        record TrimHorizon() implements Start {
        }

        record Latest() implements Start {
        }

        record AtTimestamp(long epochMillis) implements Start {
        }
    }

    /** The destination prefix of a Kafka OnFailure topic on the mapping's own cluster. */
    static final String TOPIC_DESTINATION = "kafka://";
    /** A failed record's write to the OnFailure topic is given up after this, and the delivery tried again later. */
    static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(30);
    private static final Supplier<Producer<byte[], byte[]>> NO_PRODUCER = () -> {
        throw new DeliveryException("no Kafka producer for this source");
    };

    private final Consumer<byte[], byte[]> consumer;
    /** Makes the producer of a Kafka OnFailure topic, with the consumer's connection and authentication. */
    private final Supplier<Producer<byte[], byte[]>> producers;
    /** Made on the first failed batch sent to a topic; only the poller's worker uses it. */
    private Producer<byte[], byte[]> producer;
    private final KafkaEvents.Origin origin;
    private final Start start;
    private final String mappingUuid;
    private final long commitIntervalNanos;
    private final LongSupplier nanoTime;
    /** Some partition's commit point moved past its last commit, which waits for the commit interval. */
    private boolean commitPending;
    private long lastCommitNanos;
    /** Records a poll returned beyond what the poller asked for, handed out next time. */
    private final Deque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
    /** Per assigned partition: offsets handed out and not yet acknowledged, and the next offset after them. */
    private final Map<TopicPartition, Progress> progress = new HashMap<>();

    private static final class Progress {
        final OffsetWindow outstanding = new OffsetWindow();
        long next = -1;
        long committed = -1;

        long commitPoint() {
            return outstanding.isEmpty() ? next : outstanding.first();
        }
    }

    KafkaSource(Consumer<byte[], byte[]> consumer, List<String> topics, KafkaEvents.Origin origin, Start start,
                String mappingUuid) {
        this(consumer, topics, origin, start, mappingUuid, NO_PRODUCER);
    }

    KafkaSource(Consumer<byte[], byte[]> consumer, List<String> topics, KafkaEvents.Origin origin, Start start,
                String mappingUuid, Supplier<Producer<byte[], byte[]>> producers) {
        this(consumer, topics, origin, start, mappingUuid, COMMIT_INTERVAL, System::nanoTime, producers);
    }

    KafkaSource(Consumer<byte[], byte[]> consumer, List<String> topics, KafkaEvents.Origin origin, Start start,
                String mappingUuid, Duration commitInterval, LongSupplier nanoTime) {
        this(consumer, topics, origin, start, mappingUuid, commitInterval, nanoTime, NO_PRODUCER);
    }

    KafkaSource(Consumer<byte[], byte[]> consumer, List<String> topics, KafkaEvents.Origin origin, Start start,
                String mappingUuid, Duration commitInterval, LongSupplier nanoTime,
                Supplier<Producer<byte[], byte[]>> producers) {
        this.producers = producers;
        this.consumer = consumer;
        this.origin = origin;
        this.start = start;
        this.mappingUuid = mappingUuid;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.nanoTime = nanoTime;
        this.lastCommitNanos = nanoTime.getAsLong() - commitIntervalNanos;
        consumer.subscribe(topics, new Listener());
    }

    @Override
    public Redelivery redelivery() {
        return Redelivery.IN_PLACE;
    }

    @Override
    public List<ConsumerRecord<byte[], byte[]>> poll(int max, Duration wait) {
        if (buffered.isEmpty()) {
            try {
                if (commitPending) {
                    long due = commitDueInNanos();
                    if (due <= 0) {
                        commitAsync();
                    } else if (wait.toNanos() > due) {
                        // An idle mapping still commits what it acknowledged within the interval.
                        wait = Duration.ofNanos(due);
                    }
                }
                ConsumerRecords<byte[], byte[]> got = consumer.poll(wait);
                for (TopicPartition tp : got.partitions()) {
                    Progress p = progress.computeIfAbsent(tp, t -> new Progress());
                    for (ConsumerRecord<byte[], byte[]> r : got.records(tp)) {
                        buffered.add(r);
                        p.outstanding.add(r.offset());
                        p.next = Math.max(p.next, r.offset() + 1);
                    }
                }
            } catch (WakeupException e) {
                return List.of();
            } catch (InterruptException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } catch (KafkaException e) {
                throw KafkaProblems.of(e);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(Math.min(max, buffered.size()));
        while (out.size() < max && !buffered.isEmpty()) {
            out.add(buffered.poll());
        }
        return out;
    }

    @Override
    public int eventSize(ConsumerRecord<byte[], byte[]> r) {
        int size = 160 + r.topic().length();
        size += base64Length(r.serializedKeySize()) + base64Length(r.serializedValueSize());
        for (Header h : r.headers()) {
            // Each byte is written as a signed decimal number and a comma: at most five characters.
            size += h.key().length() + 8 + (h.value() == null ? 0 : h.value().length * 5);
        }
        return size;
    }

    private static int base64Length(int n) {
        return n <= 0 ? 0 : 4 * ((n + 2) / 3);
    }

    @Override
    public String filterView(ConsumerRecord<byte[], byte[]> r) {
        return KafkaEvents.record(r);
    }

    @Override
    public byte[] event(List<ConsumerRecord<byte[], byte[]>> batch) {
        return KafkaEvents.event(batch, origin);
    }

    /**
     * Kafka's partial batch identifier is an object naming the record's {@code records} key and offset,
     * {@code {"partition": "<topic>-<partition>", "offset": <offset>}} (the form of AWS's Powertools
     * {@code KafkaItemIdentifier}; https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html).
     */
    @Override
    public Optional<ConsumerRecord<byte[], byte[]>> identified(List<ConsumerRecord<byte[], byte[]>> batch,
                                                               JsonNode id) {
        if (!id.isObject()) {
            return Optional.empty();
        }
        JsonNode partition = id.get("partition");
        JsonNode offset = id.get("offset");
        if (partition == null || !partition.isTextual() || offset == null || !offset.canConvertToLong()
                || !(offset.isIntegralNumber() || offset.isTextual())) {
            return Optional.empty();
        }
        long o;
        try {
            o = offset.isTextual() ? Long.parseLong(offset.asText()) : offset.asLong();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            if (r.offset() == o && KafkaEvents.partitionKey(r.topic(), r.partition()).equals(partition.asText())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * Marks the records done; what this lets each partition commit is committed now, or within
     * {@link #COMMIT_INTERVAL} of the last commit (by a later acknowledgement or poll).
     */
    @Override
    public void acknowledge(List<ConsumerRecord<byte[], byte[]>> records) {
        Progress p = null;
        ConsumerRecord<byte[], byte[]> last = null;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            // Consecutive records mostly share a partition: one lookup for them.
            if (last == null || last.partition() != r.partition() || !last.topic().equals(r.topic())) {
                p = progress.get(new TopicPartition(r.topic(), r.partition()));
            }
            last = r;
            if (p != null) {
                p.outstanding.remove(r.offset());
                if (p.next >= 0 && p.commitPoint() > p.committed) {
                    commitPending = true;
                }
            }
        }
        if (commitPending && commitDueInNanos() <= 0) {
            commitAsync();
        }
    }

    private long commitDueInNanos() {
        return lastCommitNanos + commitIntervalNanos - nanoTime.getAsLong();
    }

    /**
     * Commits, per partition, the offset before which everything is acknowledged. The commit is
     * asynchronous: waiting for each one would cost a broker round trip (and the group coordinator's append
     * linger), and a commit lost in a crash only replays records. Commits on revocation and on close are
     * synchronous.
     */
    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        progress.forEach((tp, p) -> {
            if (p.next >= 0 && p.commitPoint() > p.committed) {
                commits.put(tp, new OffsetAndMetadata(p.commitPoint()));
                p.committed = p.commitPoint();
            }
        });
        commitPending = false;
        lastCommitNanos = nanoTime.getAsLong();
        if (commits.isEmpty()) {
            return;
        }
        try {
            consumer.commitAsync(commits, (offsets, e) -> {
                if (e != null) {
                    LOG.debug("mapping " + mappingUuid + ": offset commit failed: " + e.getMessage());
                }
            });
        } catch (WakeupException e) {
            // A stop's wakeup landed here: the final commit on close covers these offsets.
        } catch (KafkaException e) {
            LOG.warn("mapping " + mappingUuid + ": offset commit failed: " + e.getMessage());
        }
    }

    /** The commit points of the partitions held now, for a final synchronous commit. */
    private Map<TopicPartition, OffsetAndMetadata> commitPoints() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        progress.forEach((tp, p) -> {
            if (p.next >= 0) {
                out.put(tp, new OffsetAndMetadata(p.commitPoint()));
            }
        });
        return out;
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> commits) {
        if (commits.isEmpty()) {
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                consumer.commitSync(commits, COMMIT_TIMEOUT);
                commits.forEach((tp, o) -> {
                    Progress p = progress.get(tp);
                    if (p != null) {
                        p.committed = Math.max(p.committed, o.offset());
                    }
                });
                return;
            } catch (WakeupException e) {
                // A stop's wakeup landed on the commit rather than a poll: the commit still has to happen.
                if (attempt > 0) {
                    return;
                }
            } catch (InterruptException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (KafkaException e) {
                // Typically a rebalance took the partitions away: their records are read again from the last
                // commit by whoever owns them now, which keeps delivery at least once.
                LOG.warn("mapping " + mappingUuid + ": offset commit failed: " + e.getMessage());
                return;
            }
        }
    }

    @Override
    public long recordTimeMillis(ConsumerRecord<byte[], byte[]> r) {
        return r.timestamp() < 0 ? Long.MAX_VALUE : r.timestamp();
    }

    @Override
    public String failureRecord(List<ConsumerRecord<byte[], byte[]>> batch, FailureContext context) {
        return KafkaEvents.failureRecord(batch, origin, event(batch).length, context, UUID.randomUUID().toString())
                .toString();
    }

    /**
     * An S3 bucket gets the whole batch as one object, with the event in {@code payload}; a {@code kafka://topic}
     * gets one message per record, keyed as the record was; SQS and SNS get the metadata document.
     */
    @Override
    public Runnable failureDelivery(List<ConsumerRecord<byte[], byte[]>> batch, FailureContext context,
                                    String destination, Destinations destinations) {
        byte[] event = event(batch);
        String requestId = UUID.randomUUID().toString();
        if (destination.startsWith(TOPIC_DESTINATION)) {
            String topic = destination.substring(TOPIC_DESTINATION.length());
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(batch.size());
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                byte[] value = KafkaEvents.topicFailureRecord(r, batch.size(), event.length, origin, context, requestId)
                        .toString().getBytes(StandardCharsets.UTF_8);
                // The record's own key, so the destination partitions it alike; no key: the producer spreads them.
                out.add(new ProducerRecord<>(topic, null, r.key(), value));
            }
            return () -> produce(topic, out);
        }
        String[] arn = destination.split(":", 4);
        if (arn.length == 4 && arn[0].equals("arn") && arn[2].equals("s3")) {
            String doc = KafkaEvents.s3FailureRecord(batch, origin, event, context, requestId).toString();
            ConsumerRecord<byte[], byte[]> first = batch.getFirst();
            String key = KafkaEvents.s3ObjectKey(mappingUuid, KafkaEvents.partitionKey(first.topic(), first.partition()),
                    Instant.ofEpochMilli(context.timestampEpochMs()), UUID.randomUUID().toString());
            return () -> destinations.putDocument(destination, key, doc);
        }
        String doc = KafkaEvents.failureRecord(batch, origin, event.length, context, requestId).toString();
        return () -> destinations.sendDocument(destination, doc);
    }

    /** Writes the records and waits until the cluster has them all; throws so that the poller tries again. */
    private void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try {
            if (producer == null) {
                producer = producers.get();
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            long deadline = System.nanoTime() + PRODUCE_TIMEOUT.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new DeliveryException("Kafka produce to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeliveryException("Kafka produce to " + topic + " did not complete in " + PRODUCE_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("Kafka produce to " + topic + " interrupted", e);
        } catch (KafkaException e) {
            throw new DeliveryException("Kafka produce to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        commit(commitPoints());
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.debug("mapping " + mappingUuid + ": closing the consumer: " + e.getMessage());
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (KafkaException e) {
                LOG.debug("mapping " + mappingUuid + ": closing the producer: " + e.getMessage());
            }
        }
    }

    /** Runs inside {@code poll}, on the worker thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Progress p = progress.get(tp);
                if (p != null && p.next >= 0) {
                    // Even if an asynchronous commit of this point is under way: it may not land before the
                    // next owner reads the group's offsets.
                    commits.put(tp, new OffsetAndMetadata(p.commitPoint()));
                }
            }
            commit(commits);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        /**
         * A partition without a committed offset starts at the StartingPosition, and that position is
         * committed at once, so a restart (or another member) goes on from there rather than from "now".
         */
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            List<TopicPartition> fresh = partitions.stream()
                    .filter(tp -> committed.get(tp) == null).toList();
            if (fresh.isEmpty()) {
                return;
            }
            switch (start) {
                case Start.TrimHorizon t -> consumer.seekToBeginning(fresh);
                case Start.Latest l -> consumer.seekToEnd(fresh);
                case Start.AtTimestamp at -> {
                    Map<TopicPartition, Long> query = new HashMap<>();
                    fresh.forEach(tp -> query.put(tp, at.epochMillis()));
                    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                    List<TopicPartition> none = new ArrayList<>();
                    for (TopicPartition tp : fresh) {
                        OffsetAndTimestamp o = found.get(tp);
                        if (o == null) {
                            none.add(tp); // no record at or after the timestamp yet
                        } else {
                            consumer.seek(tp, o.offset());
                        }
                    }
                    if (!none.isEmpty()) {
                        consumer.seekToEnd(none);
                    }
                }
            }
            Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
            for (TopicPartition tp : fresh) {
                initial.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            commit(initial);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(progress::remove);
            buffered.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
