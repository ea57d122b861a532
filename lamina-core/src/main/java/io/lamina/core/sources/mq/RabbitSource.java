package io.lamina.core.sources.mq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mapping's consumer on one RabbitMQ queue (Amazon MQ for RabbitMQ semantics). Messages are pushed by
 * the broker to a consumer with manual acks, at most {@code prefetch} unacked at a time, and wait in a
 * buffer that {@link #poll} drains. A processed (or filtered-out) message is acked; a failed one is nacked
 * with requeue, so the broker delivers it again, marked {@code redelivered}, until its own policy (a
 * quorum queue's {@code x-delivery-limit}, a dead-letter exchange) takes it away: Lambda has no retry
 * limit of its own for RabbitMQ (https://docs.aws.amazon.com/lambda/latest/dg/services-mq-errors.html).
 * A lost connection is recovered by amqp-client, which re-creates the consumer; the broker requeues what
 * was unacked on the old one, and acks for those stale tags are dropped by the client.
 */
final class RabbitSource implements RecordSource<RabbitMessage> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RabbitSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Wakes a blocked poll; never handed to the poller. */
    private static final RabbitMessage WAKEUP = new RabbitMessage(-1, null, null, 0);

    private final String brokerArn;
    private final String queue;
    private final String queueKey;
    private final int prefetch;
    private final Connection connection;
    private final LinkedBlockingQueue<RabbitMessage> buffer = new LinkedBlockingQueue<>();
    /** Guards the channel: amqp-client channels are not meant for concurrent use. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Subscription subscription;
    private volatile boolean closed;
    /** Why the last attempt to recover a lost connection failed; cleared once it is recovered. */
    private volatile Throwable recoveryFailure;

    /** One channel and its consumer; its delivery tags are only valid on it. */
    private final class Subscription extends DefaultConsumer {
        /** Delivered and not yet acked or nacked, to ack many at once when that is exact. */
        final NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
        volatile boolean cancelled;

        Subscription(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            ObjectNode m = RabbitEvents.message(properties, envelope.isRedeliver(), body);
            outstanding.add(envelope.getDeliveryTag());
            buffer.add(new RabbitMessage(envelope.getDeliveryTag(), this, m, size(m)));
        }

        @Override
        public void handleCancel(String consumerTag) {
            // The broker cancelled us (the queue was deleted): poll subscribes again, or reports why not.
            cancelled = true;
            buffer.add(WAKEUP);
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            if (!sig.isHardError()) {
                // The channel alone was closed by an error: it is not recovered, so subscribe again.
                cancelled = true;
                buffer.add(WAKEUP);
            }
        }
    }

    RabbitSource(String brokerArn, ConnectionFactory factory, String queue, String virtualHost, int batchSize) {
        this.brokerArn = brokerArn;
        this.queue = queue;
        this.queueKey = RabbitEvents.queueKey(queue, virtualHost);
        // At least a whole batch unacked at a time, and another one arriving while the function runs.
        this.prefetch = Math.min(65_535, Math.max(batchSize * 2, 10));
        factory.setExceptionHandler(new com.rabbitmq.client.impl.DefaultExceptionHandler() {
            @Override
            public void handleConnectionRecoveryException(Connection conn, Throwable exception) {
                // A password changed or a permission revoked while the connection was down shows here; a
                // poll waiting for messages that cannot come is woken to report it.
                recoveryFailure = exception;
                if (RabbitFailures.stopReason(exception).isPresent()) {
                    // The poller reports and stops it: no stack trace per recovery attempt meanwhile.
                    LOG.debug("queue " + queueKey + ": reconnecting: " + reason(exception));
                    buffer.add(WAKEUP);
                } else {
                    super.handleConnectionRecoveryException(conn, exception);
                }
            }
        });
        try {
            this.connection = factory.newConnection("lamina-" + queue);
        } catch (IOException | TimeoutException e) {
            throw RabbitFailures.of("cannot connect to RabbitMQ broker " + brokerArn + ": " + reason(e), e);
        }
        if (connection instanceof Recoverable r) {
            r.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    recoveryFailure = null;
                    LOG.info("RabbitMQ connection for queue " + queueKey + " recovered");
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    // Whatever was delivered on the lost connection is requeued by the broker.
                    Subscription s = subscription;
                    if (s != null) {
                        s.outstanding.clear();
                    }
                    buffer.removeIf(m -> m != WAKEUP);
                }
            });
        }
        try {
            subscribe();
        } catch (SourceException e) {
            closeConnection();
            throw e;
        }
    }

    @Override
    public Redelivery redelivery() {
        return Redelivery.BY_SOURCE;
    }

    @Override
    public List<RabbitMessage> poll(int max, Duration wait) throws InterruptedException {
        if (closed) {
            return List.of();
        }
        if (!connection.isOpen()) {
            Throwable failure = recoveryFailure;
            if (failure != null) {
                throw RabbitFailures.of("RabbitMQ broker " + brokerArn + ": reconnecting: " + reason(failure), failure);
            }
            throw new SourceException("RabbitMQ broker " + brokerArn + " is not reachable (reconnecting)");
        }
        Subscription s = subscription;
        if (s == null || s.cancelled) {
            subscribe();
        }
        RabbitMessage first = buffer.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        var out = new ArrayList<RabbitMessage>();
        if (first != null && first != WAKEUP) {
            out.add(first);
        }
        if (first != null) {
            // Take what is already here too, without waiting.
            var more = new ArrayList<RabbitMessage>();
            buffer.drainTo(more, max - out.size());
            for (RabbitMessage m : more) {
                if (m != WAKEUP) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    @Override
    public int eventSize(RabbitMessage record) {
        return record.size();
    }

    @Override
    public String filterView(RabbitMessage record) {
        return record.message().toString();
    }

    @Override
    public byte[] event(List<RabbitMessage> batch) {
        var messages = new ArrayList<ObjectNode>(batch.size());
        batch.forEach(m -> messages.add(m.message()));
        try {
            return JSON.writeValueAsBytes(RabbitEvents.event(brokerArn, queueKey, messages));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lambda reports no item failures for Amazon MQ: a partial batch response names none of the batch. */
    @Override
    public Optional<RabbitMessage> identified(List<RabbitMessage> batch, JsonNode itemIdentifier) {
        return Optional.empty();
    }

    @Override
    public void acknowledge(List<RabbitMessage> records) {
        settle(records, true);
    }

    @Override
    public void release(List<RabbitMessage> records) {
        settle(records, false);
    }

    /**
     * Acks, or nacks with requeue, per channel. When the records are every outstanding delivery up to the
     * highest of them, one {@code multiple} frame settles them all (a whole batch in order); else one each.
     */
    private void settle(List<RabbitMessage> records, boolean ack) {
        var bySubscription = new LinkedHashMap<Subscription, List<Long>>();
        for (RabbitMessage m : records) {
            bySubscription.computeIfAbsent((Subscription) m.subscription(), k -> new ArrayList<>()).add(m.deliveryTag());
        }
        for (Map.Entry<Subscription, List<Long>> e : bySubscription.entrySet()) {
            Subscription s = e.getKey();
            List<Long> tags = e.getValue();
            lock.lock();
            try {
                long highest = tags.stream().mapToLong(Long::longValue).max().orElseThrow();
                tags.forEach(s.outstanding::remove);
                Long lowestLeft = s.outstanding.isEmpty() ? null : s.outstanding.first();
                Channel ch = s.getChannel();
                if (tags.size() > 1 && (lowestLeft == null || lowestLeft > highest)) {
                    send(ch, highest, true, ack);
                } else {
                    for (long tag : tags) {
                        send(ch, tag, false, ack);
                    }
                }
            } catch (ShutdownSignalException ex) {
                // The channel is gone and the broker requeued its unacked messages: they come again.
                LOG.debug("queue " + queueKey + ": channel closed before settling " + tags.size() + " messages");
            } catch (IOException ex) {
                LOG.warn("queue " + queueKey + ": cannot " + (ack ? "ack" : "nack") + ": " + reason(ex));
            } finally {
                lock.unlock();
            }
        }
    }

    private static void send(Channel ch, long tag, boolean multiple, boolean ack) throws IOException {
        if (ack) {
            ch.basicAck(tag, multiple);
        } else {
            ch.basicNack(tag, multiple, true);
        }
    }

    @Override
    public void wakeup() {
        buffer.add(WAKEUP);
    }

    /** Closing the channel hands every unacked message back to the broker. */
    @Override
    public void close() {
        closed = true;
        closeConnection();
    }

    private void closeConnection() {
        lock.lock();
        try {
            connection.close(2_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("queue " + queueKey + ": closing: " + reason(e));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A channel with a consumer on the queue; a missing queue or a refused consume is a SourceException (the
     * refusal one that stops the mapping, see {@link RabbitFailures}).
     */
    private void subscribe() {
        lock.lock();
        try {
            Subscription old = subscription;
            if (old != null && !old.cancelled) {
                return;
            }
            if (old != null && old.getChannel().isOpen()) {
                try {
                    old.getChannel().close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    LOG.debug("queue " + queueKey + ": closing old channel: " + reason(e));
                }
            }
            buffer.removeIf(m -> m != WAKEUP && m.subscription() == old);
            Channel ch = connection.createChannel();
            if (ch == null) {
                throw new SourceException("RabbitMQ broker " + brokerArn + ": no channel available");
            }
            try {
                ch.basicQos(prefetch);
                Subscription s = new Subscription(ch);
                ch.basicConsume(queue, false, s);
                subscription = s;
            } catch (IOException | RuntimeException e) {
                try {
                    if (ch.isOpen()) {
                        ch.close();
                    }
                } catch (IOException | TimeoutException | RuntimeException ignored) {
                    // The channel is already closed by the broker's refusal.
                }
                throw RabbitFailures.of("cannot consume from queue " + queueKey + " on " + brokerArn + ": " + reason(e), e);
            }
        } catch (IOException | ShutdownSignalException e) {
            // Creating a channel on a connection being recovered.
            throw new SourceException("RabbitMQ broker " + brokerArn + ": " + reason(e), e);
        } finally {
            lock.unlock();
        }
    }

    private static int size(ObjectNode m) {
        // JSON of a message is ASCII (base64 data, escaped strings) but for non-ASCII header strings: count bytes.
        return m.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
    }

    /** A short reason: the broker's reply text (e.g. NOT_FOUND - no queue 'x') when it sent one. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException sse) {
                if (sse.getReason() instanceof AMQP.Channel.Close c) {
                    return c.getReplyText();
                }
                if (sse.getReason() instanceof AMQP.Connection.Close c) {
                    return c.getReplyText();
                }
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
