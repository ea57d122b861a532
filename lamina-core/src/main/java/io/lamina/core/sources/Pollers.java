package io.lamina.core.sources;

import io.lamina.core.destinations.Destinations;
import io.lamina.core.invoke.Invoker;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingListener;
import io.lamina.core.mappings.MappingRegistry;
import io.lamina.core.mappings.MappingState;
import io.lamina.core.mappings.SourceKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one {@link Poller} per enabled mapping, and follows the registry: a mapping that is disabled or
 * deleted stops, an updated one restarts with its new settings, with no restart of Lamina.
 */
public final class Pollers implements MappingListener, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pollers.class);
    private final MappingRegistry registry;
    private final Map<SourceKind, SourceFactory> factories;
    private final SourceFactory.Context context;
    private final Invoker invoker;
    private final Destinations destinations;
    private final Map<String, Poller<?>> running = new ConcurrentHashMap<>();
    private boolean closed;

    public Pollers(MappingRegistry registry, Map<SourceKind, SourceFactory> factories, SourceFactory.Context context,
                   Invoker invoker, Destinations destinations) {
        this.registry = registry;
        this.factories = Map.copyOf(factories);
        this.context = context;
        this.invoker = invoker;
        this.destinations = destinations;
    }

    /** Starts the enabled mappings and follows the registry from now on. */
    public synchronized void start() {
        registry.addListener(this);
        for (EventSourceMapping m : registry.all()) {
            if (m.state() == MappingState.Enabled) {
                startPoller(m);
            }
        }
    }

    @Override
    public synchronized void stateChanged(EventSourceMapping mapping) {
        stopPoller(mapping.uuid());
        if (mapping.state() == MappingState.Enabled && !closed) {
            startPoller(mapping);
        }
    }

    @Override
    public synchronized void deleted(EventSourceMapping mapping) {
        stopPoller(mapping.uuid());
    }

    /** The mappings being polled now, by UUID. */
    public List<String> active() {
        return new ArrayList<>(running.keySet());
    }

    private void startPoller(EventSourceMapping m) {
        SourceFactory f = factories.get(m.kind());
        if (f == null) {
            LOG.warn("mapping " + m.uuid() + ": Lamina does not poll " + m.kind() + " sources yet");
            return;
        }
        // Which source each mapping reads, for whom: the record of access AWS keeps in CloudTrail. Never
        // its credentials (SourceAccessConfigurations name secrets, not their values).
        LOG.info("mapping " + m.uuid() + " reads " + m.eventSourceArn().orElse(String.join(",", m.kafkaBootstrapServers()))
                + (m.topics().isEmpty() ? "" : " topics " + m.topics()) + (m.queues().isEmpty() ? "" : " queues " + m.queues())
                + " for " + m.functionArn());
        var p = new Poller<>(m, () -> open(f, m), invoker, destinations, context.clock(), registry::recordProcessingResult,
                registry::stopOnError);
        running.put(m.uuid(), p);
        p.start();
    }

    @SuppressWarnings("unchecked")
    private <R> RecordSource<R> open(SourceFactory f, EventSourceMapping m) {
        return (RecordSource<R>) f.open(m, context);
    }

    private void stopPoller(String uuid) {
        Poller<?> p = running.remove(uuid);
        if (p != null) {
            p.stop();
        }
    }

    /** Stops every poller and waits a little for batches in flight to settle. */
    @Override
    public void close() {
        List<Poller<?>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(running.values());
            running.clear();
        }
        all.forEach(Poller::stop);
        // One deadline for all: an SQS poller inside its 20 s long poll cannot be woken early.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Poller<?> p : all) {
            try {
                p.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
