package io.lamina.core.async;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lamina.core.destinations.DeadLetter;
import io.lamina.core.destinations.DeliveryException;
import io.lamina.core.destinations.DestinationRecord;
import io.lamina.core.destinations.Destinations;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.EventInvokeConfig;
import io.lamina.core.function.FunctionVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lambda's asynchronous invocation: accepted events are stored durably, then run by workers with
 * the function's concurrency, retried as its event invoke config says, and their outcomes sent to
 * destinations. At least once: an event leaves the store only after its outcome is delivered, so a
 * crash at any point replays it.
 *
 * <p>Scheduling is in memory (the store is the log it is rebuilt from at start): one lane per
 * function, served round-robin so that one busy function cannot starve the others. One dispatcher
 * decides under a lock; attempts and deliveries run on virtual threads outside it.
 */
public final class AsyncQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncQueue.class);
    private static final long MAX_WAIT_MS = 1000;
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Deliveries still owed for a decided outcome; stored as JSON in stage DELIVER. */
    record Pending(Optional<String> destination, Optional<DestinationRecord> record,
                   Optional<String> deadLetterTarget, Optional<DeadLetter> letter, long decidedAtMs, int failures) {
        boolean done() {
            return destination.isEmpty() && deadLetterTarget.isEmpty();
        }
    }

    /** One event while it is in this node's memory. Guarded by the queue's lock except where noted. */
    private static final class Entry {
        final long id;
        final String requestId;
        final String functionName;
        final Optional<String> qualifier;
        final Optional<String> clientContext;
        final Optional<String> traceId;
        final long receivedAtMs;
        byte[] payload; // null when not held in memory
        int attempts;
        int systemErrors;
        long dueAtMs;
        Pending pending; // stage DELIVER only
        Optional<AsyncFunctions.Attempt> lastAttempt = Optional.empty(); // not stored: lost on restart
        boolean holdsSlot; // dispatched and not yet given back its lane's running slot

        Entry(StoredEvent e) {
            this.id = e.id();
            this.requestId = e.requestId();
            this.functionName = e.functionName();
            this.qualifier = e.qualifier();
            this.clientContext = e.clientContext();
            this.traceId = e.traceId();
            this.receivedAtMs = e.receivedAtMs();
            this.payload = e.payload();
            this.attempts = e.attempts();
            this.dueAtMs = e.dueAtMs();
        }

        String qualifierOrLatest() {
            return qualifier.orElse(FunctionVersion.LATEST);
        }
    }

    /** What happened to one function's events since start; kept after its lane goes idle. */
    private static final class Counters {
        long retried;
        long throttled;
        long succeeded;
        long failed;
        long dropped;
    }

    /** One function's share of the queue; dropped when idle (its counters stay). */
    private static final class Lane {
        final String functionName;
        final Counters counters;
        final ArrayDeque<Entry> ready = new ArrayDeque<>();
        int delayed;
        int inFlight;
        int delivering;
        long pausedUntilMs;
        int throttles;

        Lane(String functionName, Counters counters) {
            this.functionName = functionName;
            this.counters = counters;
        }

        boolean idle() {
            return ready.isEmpty() && delayed == 0 && inFlight == 0 && delivering == 0;
        }
    }

    private final AsyncStore store;
    private final AsyncSettings settings;
    private final Clock clock;
    private final AsyncFunctions functions;
    private final Destinations destinations;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Map<String, Counters> counters = new java.util.HashMap<>();
    private final PriorityQueue<Entry> delayed = new PriorityQueue<>(Comparator.comparingLong(e -> e.dueAtMs));
    private final PriorityQueue<Entry> deliveries = new PriorityQueue<>(Comparator.comparingLong(e -> e.dueAtMs));
    private final AtomicLong nextId;
    private final AtomicLong heldBytes = new AtomicLong();
    private int inFlightTotal;
    private boolean running;
    private Thread dispatcher;
    private int roundRobin;

    public AsyncQueue(AsyncStore store, AsyncSettings settings, Clock clock, AsyncFunctions functions,
                      Destinations destinations) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.functions = functions;
        this.destinations = destinations;
        this.nextId = new AtomicLong(store.maxId());
    }

    /** Loads what a previous run left in the store and starts dispatching. */
    public void start() {
        List<StoredEvent> stored = store.loadAll();
        lock.lock();
        try {
            for (StoredEvent e : stored) {
                Entry entry = new Entry(e);
                Lane lane = lane(e.functionName());
                if (e.stage() == StoredEvent.Stage.DELIVER) {
                    try {
                        entry.pending = readPending(e.outcome().orElseThrow());
                    } catch (RuntimeException ex) {
                        // Left in the store untouched for a later version to read; the rest must start.
                        LOG.error("async event {}: unreadable stored outcome, left aside", e.requestId(), ex);
                        continue;
                    }
                    lane.delivering++;
                    deliveries.add(entry);
                } else {
                    lane.delayed++;
                    delayed.add(entry);
                }
            }
            running = true;
        } finally {
            lock.unlock();
        }
        if (!stored.isEmpty()) {
            LOG.info("async queue: resuming {} stored events", stored.size());
        }
        dispatcher = Thread.ofVirtual().name("lamina-async-dispatcher").start(this::dispatchLoop);
    }

    /**
     * Accepts an event: returns once it is durably stored.
     *
     * @throws LambdaException ServiceException if the store cannot take it
     */
    public void enqueue(String requestId, String functionName, Optional<String> qualifier, byte[] payload,
                        Optional<String> clientContext, Optional<String> traceId) {
        long now = clock.millis();
        var stored = new StoredEvent(nextId.incrementAndGet(), requestId, functionName, qualifier, payload,
                clientContext, traceId, now, 0, now, StoredEvent.Stage.INVOKE, Optional.empty());
        try {
            // Bounded: a caller must get an answer even if the disk hangs.
            store.insert(stored).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaException(ErrorType.ServiceException, "The event could not be queued.");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | RuntimeException e) {
            LOG.error("async queue: cannot store event {}", requestId, e);
            throw new LambdaException(ErrorType.ServiceException, "The event could not be queued.");
        }
        Entry entry = new Entry(stored);
        if (heldBytes.addAndGet(payload.length) > settings.payloadMemoryBytes()) {
            heldBytes.addAndGet(-payload.length);
            entry.payload = null;
        }
        lock.lock();
        try {
            Lane l = lane(functionName);
            l.ready.add(entry);
            // A saturated or backed-off lane is looked at again when a slot frees or its pause ends:
            // waking the dispatcher for every event of a backlog would only cost CPU.
            if (l.inFlight < capacity(l) && l.pausedUntilMs <= now) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Per-function counts, for functions with anything queued or counted since start. */
    public List<AsyncStatus> status() {
        lock.lock();
        try {
            var out = new ArrayList<AsyncStatus>();
            var names = new java.util.TreeSet<>(counters.keySet());
            names.addAll(lanes.keySet());
            for (String name : names) {
                Lane l = lanes.get(name);
                Counters c = counters.getOrDefault(name, new Counters());
                out.add(new AsyncStatus(name, l == null ? 0 : l.ready.size() + l.delayed, l == null ? 0 : l.inFlight,
                        l == null ? 0 : l.delivering, c.retried, c.throttled, c.succeeded, c.failed, c.dropped));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the dispatcher look at the clock now (tests that move a fake clock call this). */
    public void wakeUp() {
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (dispatcher != null) {
            try {
                dispatcher.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Attempts that end soon record their outcome; longer ones run again after a restart.
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (inFlightTotal > 0 && System.nanoTime() < deadline) {
                changed.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        // Events still running stay in the store and run again after a restart.
        store.close();
    }

    // ------------------------------------------------------------------ dispatching

    private Lane lane(String functionName) {
        return lanes.computeIfAbsent(functionName,
                n -> new Lane(n, counters.computeIfAbsent(n, k -> new Counters())));
    }

    private void dispatchLoop() {
        lock.lock();
        try {
            while (running) {
                long now = clock.millis();
                while (!delayed.isEmpty() && delayed.peek().dueAtMs <= now) {
                    Entry e = delayed.poll();
                    Lane l = lane(e.functionName);
                    l.delayed--;
                    l.ready.add(e);
                }
                while (!deliveries.isEmpty() && deliveries.peek().dueAtMs <= now) {
                    Entry e = deliveries.poll();
                    Thread.ofVirtual().name("lamina-async-deliver-" + e.requestId).start(() -> deliver(e));
                }
                boolean started;
                try {
                    started = dispatchRound(now);
                } catch (RuntimeException ex) {
                    // The dispatcher must outlive any bug: a dead dispatcher would strand every event.
                    LOG.error("async queue: dispatch round failed", ex);
                    started = false;
                }
                if (started) {
                    continue;
                }
                long wait = MAX_WAIT_MS;
                if (!delayed.isEmpty()) {
                    wait = Math.min(wait, delayed.peek().dueAtMs - now);
                }
                if (!deliveries.isEmpty()) {
                    wait = Math.min(wait, deliveries.peek().dueAtMs - now);
                }
                for (Lane l : lanes.values()) {
                    if (!l.ready.isEmpty() && l.pausedUntilMs > now) {
                        wait = Math.min(wait, l.pausedUntilMs - now);
                    }
                }
                if (wait > 0) {
                    changed.await(wait, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Starts at most one attempt per lane, round-robin; true if any started. */
    private boolean dispatchRound(long now) {
        lanes.values().removeIf(Lane::idle);
        if (lanes.isEmpty()) {
            return false;
        }
        // A snapshot: lanes may be added while attempts start (their threads take the lock later).
        List<Lane> order = new ArrayList<>(lanes.values());
        boolean started = false;
        int n = order.size();
        int first = Math.floorMod(roundRobin, n);
        for (int i = 0; i < n; i++) {
            Lane l = order.get((first + i) % n);
            if (l.ready.isEmpty() || l.pausedUntilMs > now || l.inFlight >= capacity(l)) {
                continue;
            }
            Entry e = l.ready.poll();
            l.inFlight++;
            inFlightTotal++;
            e.holdsSlot = true;
            Thread.ofVirtual().name("lamina-async-" + e.requestId).start(() -> attempt(e));
            started = true;
        }
        roundRobin = first + 1;
        return started;
    }

    private int capacity(Lane l) {
        // A reservation of 0 still lets events through one by one: each fails as ZeroReservedConcurrency.
        int cap = settings.concurrencyPerFunction();
        Optional<Integer> reserved = functions.reservedConcurrency(l.functionName);
        if (reserved.isPresent()) {
            cap = Math.max(1, Math.min(cap, reserved.get()));
        }
        return cap;
    }

    // ------------------------------------------------------------------ attempts

    private void attempt(Entry e) {
        try {
            runAttempt(e);
        } catch (RuntimeException | Error ex) {
            // Whatever went wrong, the event goes back to the queue and its slot is given back.
            boolean held;
            lock.lock();
            try {
                held = e.holdsSlot;
            } finally {
                lock.unlock();
            }
            if (held) {
                systemError(e, ex instanceof RuntimeException re ? re : new IllegalStateException(ex));
            } else {
                LOG.error("async event {}: failed after its outcome was decided", e.requestId, ex);
            }
        }
    }

    private void runAttempt(Entry e) {
        EventInvokeConfig config;
        try {
            config = functions.eventInvokeConfig(e.functionName, e.qualifierOrLatest());
        } catch (RuntimeException ex) {
            config = EventInvokeConfig.DEFAULTS;
        }
        long now = clock.millis();
        if (now - e.receivedAtMs >= config.maximumEventAgeSeconds() * 1000L) {
            LOG.info("async event {} for {} is older than {} s: EventAgeExceeded after {} attempts",
                    e.requestId, e.functionName, config.maximumEventAgeSeconds(), e.attempts);
            fail(e, config, DestinationRecord.Condition.EventAgeExceeded, e.lastAttempt,
                    e.lastAttempt.map(a -> errorMessage(a.payload())).orElse("Rate Exceeded."));
            return;
        }
        if (functions.reservedConcurrency(e.functionName).filter(r -> r == 0).isPresent()) {
            // AWS does not queue events for a function that may never run: they fail at once.
            fail(e, config, DestinationRecord.Condition.ZeroReservedConcurrency, Optional.empty(), "Rate Exceeded.");
            return;
        }
        AsyncFunctions.Attempt result;
        byte[] payload = payload(e);
        try {
            e.attempts++;
            result = functions.invoke(new AsyncFunctions.Invocation(e.requestId, e.functionName, e.qualifier, payload,
                    e.clientContext, e.traceId));
        } catch (LambdaException ex) {
            e.attempts--;
            if (ex.type() == ErrorType.TooManyRequestsException) {
                throttled(e);
            } else if (ex.type() == ErrorType.ResourceNotFoundException) {
                LOG.warn("async event {} dropped: {}", e.requestId, ex.getMessage());
                finish(e, l -> l.counters.dropped++);
            } else {
                systemError(e, ex);
            }
            return;
        } catch (RuntimeException ex) {
            e.attempts--;
            systemError(e, ex);
            return;
        }
        e.lastAttempt = Optional.of(result);
        if (result.succeeded()) {
            succeed(e, config, result);
        } else if (e.attempts <= config.retryAttempts()) {
            long due = clock.millis() + settings.retryDelay(e.attempts).toMillis();
            LOG.info("async event {} for {} failed on attempt {}: retrying in {} ms", e.requestId, e.functionName,
                    e.attempts, due - clock.millis());
            store.update(e.id, e.attempts, due, StoredEvent.Stage.INVOKE, Optional.empty());
            lock.lock();
            try {
                Lane l = lane(e.functionName);
                l.counters.retried++;
                l.throttles = 0;
                e.dueAtMs = due;
                l.delayed++;
                delayed.add(e);
                release(e, l);
            } finally {
                lock.unlock();
            }
        } else {
            fail(e, config, DestinationRecord.Condition.RetriesExhausted, Optional.of(result),
                    errorMessage(result.payload()));
        }
    }

    private byte[] payload(Entry e) {
        byte[] p = e.payload;
        return p != null ? p : store.payload(e.id);
    }

    /** Throttled: the event goes back to the head of its lane and the lane backs off. */
    private void throttled(Entry e) {
        lock.lock();
        try {
            Lane l = lane(e.functionName);
            l.counters.throttled++;
            long now = clock.millis();
            // Attempts already running when the lane was throttled do not each double the pause.
            if (l.pausedUntilMs <= now) {
                l.throttles++;
                l.pausedUntilMs = now + settings.backoffMs(l.throttles);
            }
            l.ready.addFirst(e);
            release(e, l);
        } finally {
            lock.unlock();
        }
    }

    /** A system error is the event's own: it waits with its own backoff. */
    private void systemError(Entry e, RuntimeException ex) {
        LOG.warn("async event {} for {}: system error, will retry: {}", e.requestId, e.functionName, ex.toString());
        lock.lock();
        try {
            Lane l = lane(e.functionName);
            l.counters.throttled++;
            e.systemErrors++;
            e.dueAtMs = clock.millis() + settings.backoffMs(e.systemErrors);
            l.delayed++;
            delayed.add(e);
            release(e, l);
        } finally {
            lock.unlock();
        }
    }

    private void succeed(Entry e, EventInvokeConfig config, AsyncFunctions.Attempt result) {
        lock.lock();
        try {
            Lane l = lane(e.functionName);
            l.throttles = 0;
            l.counters.succeeded++;
        } finally {
            lock.unlock();
        }
        if (config.onSuccess().isEmpty()) {
            finish(e, l -> { });
            return;
        }
        var record = record(e, DestinationRecord.Condition.Success, Optional.of(result));
        toDelivery(e, new Pending(config.onSuccess(), Optional.of(record), Optional.empty(), Optional.empty(),
                clock.millis(), 0));
    }

    private void fail(Entry e, EventInvokeConfig config, DestinationRecord.Condition condition,
                      Optional<AsyncFunctions.Attempt> result, String errorMessage) {
        Optional<String> dlq;
        try {
            dlq = functions.deadLetterTarget(e.functionName, e.qualifierOrLatest());
        } catch (RuntimeException ex) {
            dlq = Optional.empty();
        }
        if (config.onFailure().isEmpty() && dlq.isEmpty()) {
            LOG.warn("async event {} for {} dropped ({}): no OnFailure destination or dead-letter queue",
                    e.requestId, e.functionName, condition);
            finish(e, l -> {
                l.counters.failed++;
                l.counters.dropped++;
            });
            return;
        }
        lock.lock();
        try {
            lane(e.functionName).counters.failed++;
        } finally {
            lock.unlock();
        }
        Optional<DestinationRecord> record = config.onFailure().map(d -> record(e, condition, result));
        // ErrorCode is the HTTP status of the last attempt: 200 when the function ran and failed. An event
        // that never ran was held back by throttling (AWS documents no value for it; 429 is ours).
        int errorCode = result.isPresent() ? 200 : 429;
        Optional<DeadLetter> letter = dlq.map(t -> new DeadLetter(payload(e), e.requestId, errorCode, errorMessage));
        toDelivery(e, new Pending(config.onFailure(), record, dlq, letter, clock.millis(), 0));
    }

    private DestinationRecord record(Entry e, DestinationRecord.Condition condition,
                                     Optional<AsyncFunctions.Attempt> result) {
        return new DestinationRecord(clock.millis(), e.requestId,
                functions.functionArn(e.functionName, e.qualifierOrLatest()), condition, e.attempts, payload(e),
                result.map(r -> new DestinationRecord.Response(200, r.executedVersion(), r.functionError(),
                        r.payload())));
    }

    /** The outcome is decided: store what is owed, then try to deliver it right away. */
    private void toDelivery(Entry e, Pending pending) {
        store.update(e.id, e.attempts, clock.millis(), StoredEvent.Stage.DELIVER, Optional.of(writePending(pending)));
        lock.lock();
        try {
            Lane l = lane(e.functionName);
            e.pending = pending;
            l.delivering++;
            release(e, l);
        } finally {
            lock.unlock();
        }
        deliver(e);
    }

    /** Removes an event whose outcome needs no delivery. */
    private void finish(Entry e, java.util.function.Consumer<Lane> count) {
        store.delete(e.id);
        lock.lock();
        try {
            Lane l = lane(e.functionName);
            count.accept(l);
            release(e, l);
        } finally {
            lock.unlock();
        }
        dropPayload(e);
    }

    /** Gives back the event's running slot, once; the lock is held. */
    private void release(Entry e, Lane l) {
        if (e.holdsSlot) {
            e.holdsSlot = false;
            l.inFlight--;
            inFlightTotal--;
        }
        changed.signal();
    }

    private void dropPayload(Entry e) {
        byte[] p = e.payload;
        if (p != null) {
            e.payload = null;
            heldBytes.addAndGet(-p.length);
        }
    }

    // ------------------------------------------------------------------ deliveries

    private void deliver(Entry e) {
        Pending p = e.pending;
        Optional<String> destination = p.destination();
        Optional<String> deadLetter = p.deadLetterTarget();
        String lastError = "";
        if (destination.isPresent()) {
            try {
                destinations.deliver(destination.get(), p.record().orElseThrow());
                destination = Optional.empty();
            } catch (RuntimeException ex) {
                // DeliveryException as designed; anything else must not strand the outcome either.
                lastError = ex instanceof DeliveryException ? ex.getMessage() : ex.toString();
            }
        }
        if (deadLetter.isPresent()) {
            try {
                destinations.deadLetter(deadLetter.get(), p.letter().orElseThrow());
                deadLetter = Optional.empty();
            } catch (RuntimeException ex) {
                // DeliveryException as designed; anything else must not strand the outcome either.
                lastError = ex instanceof DeliveryException ? ex.getMessage() : ex.toString();
            }
        }
        Pending left = new Pending(destination, destination.isPresent() ? p.record() : Optional.empty(), deadLetter,
                deadLetter.isPresent() ? p.letter() : Optional.empty(), p.decidedAtMs(), p.failures() + 1);
        long now = clock.millis();
        if (left.done()) {
            store.delete(e.id);
            lock.lock();
            try {
                lane(e.functionName).delivering--;
                changed.signal();
            } finally {
                lock.unlock();
            }
            dropPayload(e);
            return;
        }
        if (now - p.decidedAtMs() >= settings.deliveryRetryFor().toMillis()) {
            LOG.error("async event {}: outcome dropped after {} failed deliveries: {}", e.requestId,
                    left.failures(), lastError);
            store.delete(e.id);
            lock.lock();
            try {
                Lane l = lane(e.functionName);
                l.delivering--;
                l.counters.dropped++;
            } finally {
                lock.unlock();
            }
            dropPayload(e);
            return;
        }
        long due = now + settings.backoffMs(left.failures());
        LOG.warn("async event {}: delivery failed ({}), retrying in {} ms", e.requestId, lastError, due - now);
        store.update(e.id, e.attempts, due, StoredEvent.Stage.DELIVER, Optional.of(writePending(left)));
        lock.lock();
        try {
            e.pending = left;
            e.dueAtMs = due;
            deliveries.add(e);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private static String writePending(Pending p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Pending readPending(String json) {
        try {
            return JSON.readValue(json, Pending.class);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The DLQ's ErrorMessage: the function's errorMessage when its error document has one. */
    static String errorMessage(byte[] errorDocument) {
        try {
            var node = JSON.readTree(errorDocument);
            if (node != null && node.hasNonNull("errorMessage")) {
                return node.get("errorMessage").asText();
            }
        } catch (IOException ignored) {
            // Not JSON: the document itself is the message.
        }
        return new String(errorDocument, StandardCharsets.UTF_8);
    }
}
