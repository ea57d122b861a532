package io.lamina.core.sources;

import io.lamina.core.destinations.Destinations;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.invoke.Invoker;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.StopReason;
import io.lamina.core.sources.filter.RecordFilter;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One mapping's polling (DESIGN.md §5.6): each worker takes a concurrency slot, gathers a batch
 * (BatchSize, the batching window, the 6 MB bound), drops what the filters reject, invokes the
 * function through the {@link Invoker}, then settles the records: acknowledged on success, released to
 * the source or retried in place on failure, and given to OnFailure when retries run out.
 * Nothing is acknowledged before the function succeeded with it, so a crash only replays records.
 */
public final class Poller<R> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Poller.class);
    /** Lambda's synchronous payload limit bounds a batch's event. */
    static final int MAX_EVENT_BYTES = Invoker.MAX_SYNC_PAYLOAD;
    /** Room kept for the event's envelope around its records. */
    static final int ENVELOPE_BYTES = 1024;
    /** How long an idle worker waits in one poll; sources cap this at their own long poll. */
    static final Duration LONG_POLL = Duration.ofSeconds(20);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /**
     * How long a poll for the next batch waits while the function runs this one, at first and at most (it
     * doubles while polls come back empty): the run's end is noticed that late, only while the next batch
     * is not full yet, and a long run on an idle source costs a few polls a second rather than a thousand.
     */
    static final long PREFETCH_POLL_FIRST_NANOS = Duration.ofMillis(1).toNanos();
    static final long PREFETCH_POLL_MAX_NANOS = Duration.ofMillis(10).toNanos();
    static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    /** LastProcessingResult values AWS reports. */
    public static final String OK = "OK";
    public static final String FUNCTION_CALL_FAILED = "PROBLEM: Function call failed";
    public static final String FUNCTION_MISSING = "PROBLEM: Function does not exist";
    public static final String THROTTLED = "PROBLEM: Function call was throttled";
    public static final String CONNECTION_ERROR = "PROBLEM: Connection error. Your event source could not be reached.";

    /** Where the poller reports what the last batch came to. */
    public interface ProcessingResults {
        void record(String mappingUuid, String result);
    }

    /** Where the poller asks for its mapping to be stopped after an error it cannot get past (the registry). */
    public interface Stops {
        void stop(String mappingUuid, StopReason reason);
    }

    private final EventSourceMapping mapping;
    private final Supplier<RecordSource<R>> opener;
    private final Invoker invoker;
    private final Destinations destinations;
    private final Clock clock;
    private final ProcessingResults results;
    private final Stops stops;
    private final RecordFilter filter;
    private final boolean reportItemFailures;
    private volatile boolean running = true;
    private volatile RecordSource<R> source;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicInteger liveWorkers = new AtomicInteger();

    public Poller(EventSourceMapping mapping, Supplier<RecordSource<R>> opener, Invoker invoker, Destinations destinations,
                  Clock clock, ProcessingResults results, Stops stops) {
        this.mapping = mapping;
        this.opener = opener;
        this.invoker = invoker;
        this.destinations = destinations;
        this.clock = clock;
        this.results = results;
        this.stops = stops;
        // No FilterCriteria: records are not even rendered for the filter.
        this.filter = mapping.filterPatterns().isEmpty() ? null
                : RecordFilter.compile(mapping.kind().filterSource(), mapping.filterPatterns());
        this.reportItemFailures = mapping.functionResponseTypes().contains(REPORT_BATCH_ITEM_FAILURES);
    }

    public EventSourceMapping mapping() {
        return mapping;
    }

    /** Opens the source (retrying until it can be reached) and starts the workers, on virtual threads. */
    public void start() {
        Thread.ofVirtual().name("poller-" + mapping.uuid()).start(this::openAndRun);
    }

    /**
     * Stops taking new batches; a batch being run finishes and is settled first. Returns at once; the
     * source is closed when the last worker is done.
     */
    public void stop() {
        running = false;
        RecordSource<R> s = source;
        if (s != null) {
            s.wakeup();
        }
    }

    /**
     * For a failure retrying cannot mend: stops this poller (unacknowledged records go back to the source as
     * on any stop) and asks for the mapping to be stopped with the failure's reason. A poller already told
     * to stop asks nothing: its mapping was changed, and the poller of the new settings decides for itself.
     */
    private boolean stopFor(SourceException e) {
        if (e.stopReason().isEmpty()) {
            return false;
        }
        if (running) {
            stop();
            LOG.warn("mapping " + mapping.uuid() + " stops: " + e.stopReason().get());
            stops.stop(mapping.uuid(), e.stopReason().get());
        }
        return true;
    }

    /** Waits until every worker stopped and the source is closed. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void openAndRun() {
        Backoff backoff = new Backoff();
        while (running && source == null) {
            try {
                source = opener.get();
            } catch (RuntimeException e) {
                LOG.warn("mapping " + mapping.uuid() + ": cannot open its source: " + e.getMessage());
                results.record(mapping.uuid(), e instanceof SourceException se
                        ? se.problem().orElse(CONNECTION_ERROR) : CONNECTION_ERROR);
                if (e instanceof SourceException se && stopFor(se)) {
                    break;
                }
                backoff.sleep();
            }
        }
        if (source == null) {
            stopped.countDown();
            return;
        }
        if (!running) {
            source.wakeup();
        }
        int n = Math.max(1, source.workers());
        liveWorkers.set(n);
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().name("poller-" + mapping.uuid() + "-" + i).start(this::work);
        }
    }

    private void work() {
        Worker w = new Worker();
        try {
            w.loop();
        } catch (RuntimeException | Error e) {
            LOG.error("mapping " + mapping.uuid() + ": poller worker failed", e);
        } finally {
            if (liveWorkers.decrementAndGet() == 0) {
                try {
                    source.close();
                } catch (RuntimeException e) {
                    LOG.warn("mapping " + mapping.uuid() + ": closing its source: " + e.getMessage());
                }
                stopped.countDown();
            }
        }
    }

    /** One worker: its own carry-over of records that did not fit the last batch. */
    private final class Worker {
        private final List<R> carry = new ArrayList<>();
        private final Backoff backoff = new Backoff();
        /**
         * Sources retried in place (Kafka) read the next batch's records while the function runs this one,
         * so that reading and running overlap. They are only run once this batch is settled, so a
         * partition's order and commit-after-success hold; records read but not run are not acknowledged.
         */
        private final boolean prefetch = source.redelivery() == RecordSource.Redelivery.IN_PLACE;

        void loop() {
            while (running) {
                Invoker.Slot slot;
                try {
                    slot = invoker.reserve(mapping.functionArn());
                } catch (LambdaException e) {
                    results.record(mapping.uuid(), problem(e));
                    backoff.sleep();
                    continue;
                }
                try (slot) {
                    List<R> batch = collect();
                    if (batch.isEmpty()) {
                        continue;
                    }
                    if (!running) {
                        // Stopped while gathering: hand the records back unrun rather than run them late.
                        giveBack(batch);
                        return;
                    }
                    process(slot, batch);
                } catch (SourceException e) {
                    LOG.warn("mapping " + mapping.uuid() + ": " + e.getMessage());
                    results.record(mapping.uuid(), e.problem().orElse(CONNECTION_ERROR));
                    if (!stopFor(e)) {
                        backoff.sleep();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!carry.isEmpty()) {
                giveBack(List.copyOf(carry));
                carry.clear();
            }
        }

        private void giveBack(List<R> records) {
            if (source.redelivery() == RecordSource.Redelivery.BY_SOURCE) {
                source.unrun(records);
            }
            // IN_PLACE sources were not acknowledged: they start from their last checkpoint again.
        }

        /** Gathers one batch: up to BatchSize records, for at most the window after the first, within 6 MB. */
        List<R> collect() throws InterruptedException {
            int max = mapping.batchSize();
            List<R> batch = new ArrayList<>(Math.min(max, 1024));
            long bytes = ENVELOPE_BYTES;
            Duration window = mapping.batchingWindow();
            long windowEnd = 0;
            if (!carry.isEmpty()) {
                // The carry-over holds up to a whole batch read ahead: it is bound by the 6 MB too.
                int take = 0;
                while (take < carry.size() && take < max) {
                    int size = source.eventSize(carry.get(take));
                    if (take > 0 && bytes + size > MAX_EVENT_BYTES) {
                        break;
                    }
                    bytes += size;
                    take++;
                }
                batch.addAll(carry.subList(0, take));
                carry.subList(0, take).clear();
                if (!carry.isEmpty()) {
                    return batch;
                }
                windowEnd = System.nanoTime() + window.toNanos();
            }
            while (running && batch.size() < max) {
                Duration wait;
                if (batch.isEmpty()) {
                    wait = LONG_POLL;
                } else {
                    long left = windowEnd - System.nanoTime();
                    if (window.isZero() || left <= 0) {
                        break;
                    }
                    wait = Duration.ofNanos(left);
                }
                List<R> got = source.poll(source.pollSize(max - batch.size()), wait);
                if (got.isEmpty()) {
                    if (batch.isEmpty()) {
                        return batch;
                    }
                    continue;
                }
                boolean wasEmpty = batch.isEmpty();
                boolean full = false;
                for (R r : got) {
                    int size = source.eventSize(r);
                    if (full || batch.size() >= max || (!batch.isEmpty() && bytes + size > MAX_EVENT_BYTES)) {
                        full = true;
                        carry.add(r);
                    } else {
                        batch.add(r);
                        bytes += size;
                    }
                }
                if (wasEmpty) {
                    windowEnd = System.nanoTime() + window.toNanos();
                }
                if (full || window.isZero()) {
                    break;
                }
            }
            return batch;
        }

        void process(Invoker.Slot slot, List<R> batch) throws InterruptedException {
            List<R> pass = new ArrayList<>(batch.size());
            List<R> dropped = new ArrayList<>();
            for (R r : batch) {
                (filter == null || filter.matches(source.filterView(r)) ? pass : dropped).add(r);
            }
            if (!dropped.isEmpty()) {
                source.acknowledge(dropped);
            }
            if (pass.isEmpty()) {
                return;
            }
            if (source.redelivery() == RecordSource.Redelivery.BY_SOURCE) {
                Attempt a = attempt(slot, pass);
                switch (a) {
                    case Attempt.Succeeded s -> {
                        source.acknowledge(pass);
                        backoff.reset();
                    }
                    case Attempt.Partly p -> {
                        source.acknowledge(without(pass, p.failed()));
                        source.release(p.failed());
                    }
                    case Attempt.Failed f -> {
                        source.release(pass);
                        backoff.sleep();
                    }
                }
            } else {
                retryInPlace(slot, pass);
            }
        }

        /**
         * Ordered sources: the batch is retried until it succeeds, its oldest record is too old, or its
         * attempts run out; with bisection a failing batch is split in two and each half retried on its
         * own. A partial batch response checkpoints the records before the first failed one, and the rest
         * is retried (AWS's rule for streams and Kafka).
         */
        void retryInPlace(Invoker.Slot slot, List<R> batch) throws InterruptedException {
            int maxRetries = mapping.maximumRetryAttempts().orElse(-1);
            if (maxRetries < 0 && mapping.kind().kafka()
                    && mapping.onFailureDestination().filter(d -> !d.isEmpty()).isPresent()) {
                // Kafka: infinite retries with an OnFailure destination mean at most 10
                // (https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html).
                maxRetries = 10;
            }
            int maxAge = mapping.maximumRecordAgeInSeconds().orElse(-1);
            boolean bisect = mapping.bisectBatchOnFunctionError().orElse(false);
            Deque<List<R>> todo = new ArrayDeque<>();
            todo.add(batch);
            int attempts = 0;
            while (!todo.isEmpty()) {
                List<R> b = todo.peekFirst();
                if (maxAge >= 0 && tooOld(b, maxAge)) {
                    giveUp(b, "RecordAgeExceeded", attempts, Optional.empty());
                    todo.pollFirst();
                    attempts = 0;
                    continue;
                }
                if (!running) {
                    return;
                }
                Attempt a = attempt(slot, b);
                attempts++;
                switch (a) {
                    case Attempt.Succeeded s -> {
                        source.acknowledge(b);
                        todo.pollFirst();
                        attempts = 0;
                        backoff.reset();
                    }
                    case Attempt.Partly p -> {
                        int first = firstIndexOf(b, p.failed());
                        if (first > 0) {
                            source.acknowledge(b.subList(0, first));
                        }
                        List<R> rest = List.copyOf(b.subList(Math.max(first, 0), b.size()));
                        todo.pollFirst();
                        if (exhausted(attempts, maxRetries)) {
                            giveUp(rest, "RetryAttemptsExhausted", attempts, Optional.of(a));
                            attempts = 0;
                        } else {
                            todo.addFirst(rest);
                            backoff.sleep();
                        }
                    }
                    case Attempt.Failed f -> {
                        if (exhausted(attempts, maxRetries)) {
                            todo.pollFirst();
                            giveUp(b, "RetryAttemptsExhausted", attempts, Optional.of(a));
                            attempts = 0;
                        } else {
                            if (bisect && b.size() > 1 && f.functionRan()) {
                                todo.pollFirst();
                                todo.addFirst(List.copyOf(b.subList(b.size() / 2, b.size())));
                                todo.addFirst(List.copyOf(b.subList(0, b.size() / 2)));
                            }
                            backoff.sleep();
                        }
                    }
                }
            }
        }

        private boolean exhausted(int attempts, int maxRetries) {
            return maxRetries >= 0 && attempts > maxRetries;
        }

        private boolean tooOld(List<R> b, int maxAgeSeconds) {
            long now = clock.millis();
            for (R r : b) {
                long t = source.recordTimeMillis(r);
                if (t != Long.MAX_VALUE && now - t > maxAgeSeconds * 1000L) {
                    return true;
                }
            }
            return false;
        }

        /** Sends the batch's failure record to OnFailure (until it is delivered), then checkpoints past it. */
        private void giveUp(List<R> b, String condition, int attempts, Optional<Attempt> last) throws InterruptedException {
            // An empty Destination is how UpdateEventSourceMapping removes it.
            Optional<String> target = mapping.onFailureDestination().filter(d -> !d.isEmpty());
            if (target.isPresent()) {
                var ctx = new FailureContext(mapping.eventSourceMappingArn(), mapping.functionArn(), condition, attempts,
                        last.flatMap(Attempt::functionError), last.flatMap(Attempt::errorType),
                        last.map(Attempt::statusCode).orElse(200), last.map(Attempt::executedVersion).orElse("$LATEST"),
                        clock.millis());
                Runnable delivery = source.failureDelivery(b, ctx, target.get(), destinations);
                Backoff deliveryBackoff = new Backoff();
                while (true) {
                    try {
                        delivery.run();
                        break;
                    } catch (RuntimeException e) {
                        LOG.warn("mapping " + mapping.uuid() + ": OnFailure " + target.get() + ": " + e.getMessage());
                        if (!running) {
                            return; // not acknowledged: the batch is read again after a restart
                        }
                        deliveryBackoff.sleep();
                    }
                }
            } else {
                LOG.info("mapping " + mapping.uuid() + ": " + b.size() + " records skipped (" + condition + ")");
            }
            source.acknowledge(b);
        }

        private Attempt attempt(Invoker.Slot slot, List<R> batch) {
            InvokeResult r;
            try {
                byte[] event = source.event(batch);
                r = prefetch ? invokeWhilePolling(slot, event) : invoker.invoke(slot, event);
            } catch (LambdaException e) {
                LOG.debug("mapping " + mapping.uuid() + ": invoke failed: " + e.getMessage());
                results.record(mapping.uuid(), problem(e));
                return new Attempt.Failed(Optional.empty(), Optional.of(e.type().name()), e.type().status(), "$LATEST", false);
            }
            if (r.functionError().isPresent()) {
                results.record(mapping.uuid(), FUNCTION_CALL_FAILED);
                return new Attempt.Failed(r.functionError(), errorType(r.payload()), 200, r.executedVersion(), true);
            }
            results.record(mapping.uuid(), OK);
            if (!reportItemFailures) {
                return new Attempt.Succeeded(r.executedVersion());
            }
            Optional<List<R>> failed = BatchResponse.failedRecords(r.payload(), batch, source);
            if (failed.isEmpty()) {
                return new Attempt.Failed(Optional.empty(), Optional.empty(), 200, r.executedVersion(), true);
            }
            if (failed.get().isEmpty()) {
                return new Attempt.Succeeded(r.executedVersion());
            }
            return new Attempt.Partly(failed.get(), r.executedVersion());
        }

        /**
         * Runs the invocation on its own virtual thread while this one polls the source (whose client may
         * allow only one thread, this one) into the carry-over, until a batch is waiting or the run is over.
         */
        private InvokeResult invokeWhilePolling(Invoker.Slot slot, byte[] event) {
            CompletableFuture<InvokeResult> call = new CompletableFuture<>();
            Thread.ofVirtual().name("poller-" + mapping.uuid() + "-invoke").start(() -> {
                try {
                    call.complete(invoker.invoke(slot, event));
                } catch (Throwable t) {
                    call.completeExceptionally(t);
                }
            });
            int max = mapping.batchSize();
            try {
                long wait = PREFETCH_POLL_FIRST_NANOS;
                while (running && !call.isDone() && carry.size() < max) {
                    List<R> got = source.poll(source.pollSize(max - carry.size()), Duration.ofNanos(wait));
                    carry.addAll(got);
                    wait = got.isEmpty() ? Math.min(wait * 2, PREFETCH_POLL_MAX_NANOS) : PREFETCH_POLL_FIRST_NANOS;
                }
            } catch (SourceException e) {
                // Read again (and reported) by the next collect, once this batch is settled.
                LOG.debug("mapping " + mapping.uuid() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                // Settle this batch first; the loop sees the interrupt afterwards.
                Thread.currentThread().interrupt();
            }
            try {
                return call.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }

    private List<R> without(List<R> all, List<R> remove) {
        Set<R> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(remove);
        return all.stream().filter(r -> !gone.contains(r)).toList();
    }

    private int firstIndexOf(List<R> batch, List<R> failed) {
        Set<R> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(failed);
        for (int i = 0; i < batch.size(); i++) {
            if (set.contains(batch.get(i))) {
                return i;
            }
        }
        return 0;
    }

    private static String problem(LambdaException e) {
        return switch (e.type()) {
            case ResourceNotFoundException -> FUNCTION_MISSING;
            case TooManyRequestsException -> THROTTLED;
            default -> FUNCTION_CALL_FAILED;
        };
    }

    private static Optional<String> errorType(byte[] payload) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
            return node != null && node.hasNonNull("errorType") ? Optional.of(node.get("errorType").asText()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** What one invocation of a batch came to. */
    private sealed interface Attempt {
        String executedVersion();

        default Optional<String> functionError() {
            return Optional.empty();
        }

        default Optional<String> errorType() {
            return Optional.empty();
        }

        default int statusCode() {
            return 200;
        }

        record Succeeded(String executedVersion) implements Attempt {
        }

        /** Some records failed (a partial batch response). */
        record Partly(List<?> failedRecords, String executedVersion) implements Attempt {
            @SuppressWarnings("unchecked")
            <T> List<T> failed() {
                return (List<T>) failedRecords;
            }
        }

        /** The whole batch failed; {@code functionRan} is false for throttles and other invoke errors. */
        record Failed(Optional<String> functionError, Optional<String> errorType, int statusCode, String executedVersion,
                      boolean functionRan) implements Attempt {
        }
    }

    /** Exponential backoff between failed attempts, from 100 ms to 5 s; real time, not the clock. */
    private final class Backoff {
        private Duration next = FIRST_BACKOFF;

        void sleep() {
            try {
                long end = System.nanoTime() + next.toNanos();
                // Sleep in short steps so that a stopped mapping does not linger.
                while (running && System.nanoTime() < end) {
                    Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            next = next.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next.multipliedBy(2);
        }

        void reset() {
            next = FIRST_BACKOFF;
        }
    }

}
