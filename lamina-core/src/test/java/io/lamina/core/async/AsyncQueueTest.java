package io.lamina.core.async;

import io.lamina.core.destinations.DeadLetter;
import io.lamina.core.destinations.DeliveryException;
import io.lamina.core.destinations.DestinationRecord;
import io.lamina.core.destinations.Destinations;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.EventInvokeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncQueueTest {
    private static final AsyncSettings FAST = AsyncSettings.defaults()
            .withRetryDelays(List.of(Duration.ofMillis(20), Duration.ofMillis(40)))
            .withThrottleBackoff(Duration.ofMillis(10), Duration.ofMillis(80));

    @TempDir
    Path dir;

    private final OffsetClock clock = new OffsetClock();
    private final FakeFunctions functions = new FakeFunctions();
    private final FakeDestinations destinations = new FakeDestinations();
    private final List<AsyncQueue> queues = new ArrayList<>();

    @AfterEach
    void closeQueues() {
        queues.forEach(AsyncQueue::close);
    }

    private AsyncQueue queue(AsyncSettings settings) {
        var q = new AsyncQueue(AsyncStore.sqlite(dir.resolve("async.db")), settings, clock, functions, destinations);
        q.start();
        queues.add(q);
        return q;
    }

    private static void enqueue(AsyncQueue q, String fn, String payload) {
        q.enqueue("req-" + payload, fn, Optional.empty(), payload.getBytes(StandardCharsets.UTF_8), Optional.empty(),
                Optional.empty());
    }

    @Test
    void enqueue_runsTheEventOnceAndForgetsIt() throws Exception {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> ok("\"done\""));
        enqueue(q, "fn", "{\"n\":1}");
        await(() -> functions.calls("fn") == 1);
        await(() -> status(q, "fn").succeeded() == 1);
        Thread.sleep(50);
        assertThat(functions.calls("fn")).isEqualTo(1);
        assertThat(functions.invocations.getFirst().requestId()).isEqualTo("req-{\"n\":1}");
        assertThat(new String(functions.invocations.getFirst().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertStoreEmpty(q);
    }

    @Test
    void functionError_isRetriedTwiceWithTheSameRequestId_thenGoesToOnFailureAndTheDlq() {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> error("{\"errorMessage\":\"boom\",\"errorType\":\"Error\"}"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:sqs:us-east-1:000000000000:failures"), 0));
        functions.dlq = Optional.of("arn:aws:sqs:us-east-1:000000000000:dlq");
        enqueue(q, "fn", "{\"n\":2}");
        await(() -> destinations.records.size() == 1 && destinations.letters.size() == 1);
        assertThat(functions.calls("fn")).isEqualTo(3);
        assertThat(functions.invocations).extracting(AsyncFunctions.Invocation::requestId).containsOnly("req-{\"n\":2}");
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(destinations.records.getFirst().getKey()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:failures");
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.RetriesExhausted);
        assertThat(r.approximateInvokeCount()).isEqualTo(3);
        assertThat(r.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST");
        assertThat(r.response().orElseThrow().functionError()).contains("Unhandled");
        assertThat(new String(r.requestPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        DeadLetter letter = destinations.letters.getFirst().getValue();
        assertThat(letter.requestId()).isEqualTo("req-{\"n\":2}");
        assertThat(letter.errorMessage()).isEqualTo("boom");
        assertThat(new String(letter.event(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        AsyncStatus s = status(q, "fn");
        assertThat(s.retried()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.dropped()).isZero();
        assertStoreEmpty(q);
    }

    @Test
    void functionError_withZeroRetries_runsOnce_andWithoutDestinationsIsCountedDropped() throws Exception {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> error("{\"errorMessage\":\"x\"}"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.of(0), Optional.empty(), Optional.empty(),
                Optional.empty(), 0));
        enqueue(q, "fn", "{}");
        await(() -> status(q, "fn").dropped() == 1);
        Thread.sleep(100);
        assertThat(functions.calls("fn")).isEqualTo(1);
        assertThat(status(q, "fn").failed()).isEqualTo(1);
    }

    @Test
    void success_goesToOnSuccess_withTheResponse() {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> ok("{\"answer\":42}"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:lambda:us-east-1:000000000000:function:other"), Optional.empty(), 0));
        enqueue(q, "fn", "{\"q\":1}");
        await(() -> destinations.records.size() == 1);
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.Success);
        assertThat(r.approximateInvokeCount()).isEqualTo(1);
        assertThat(r.response().orElseThrow().executedVersion()).isEqualTo("$LATEST");
        assertThat(r.response().orElseThrow().functionError()).isEmpty();
        assertThat(new String(r.response().orElseThrow().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"answer\":42}");
    }

    @Test
    void throttles_backOffAndTheEventRunsLater_withoutCountingAnAttempt() {
        AsyncQueue q = queue(FAST);
        var throttles = new AtomicInteger(3);
        functions.behaviour.put("fn", inv -> {
            if (throttles.getAndDecrement() > 0) {
                throw new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.");
            }
            return ok("1");
        });
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:sns:us-east-1:000000000000:ok"), Optional.empty(), 0));
        enqueue(q, "fn", "{}");
        await(() -> destinations.records.size() == 1);
        assertThat(destinations.records.getFirst().getValue().approximateInvokeCount()).isEqualTo(1);
        assertThat(status(q, "fn").throttled()).isEqualTo(3);
    }

    @Test
    void eventOlderThanItsMaximumAge_goesToOnFailureAsEventAgeExceeded() {
        AsyncQueue q = queue(FAST.withThrottleBackoff(Duration.ofMillis(10), Duration.ofMillis(10)));
        functions.behaviour.put("fn", inv -> {
            throw new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.");
        });
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.of(60), Optional.empty(),
                Optional.of("arn:aws:events:us-east-1:000000000000:event-bus/default"), 0));
        enqueue(q, "fn", "{\"old\":true}");
        await(() -> status(q, "fn").throttled() >= 2);
        assertThat(destinations.records).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        q.wakeUp();
        await(() -> destinations.records.size() == 1);
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.EventAgeExceeded);
        assertThat(r.approximateInvokeCount()).isZero();
        assertThat(r.response()).isEmpty();
    }

    @Test
    void zeroReservedConcurrency_failsTheEventAtOnce_asAwsDoes() {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> ok("1"));
        functions.reserved.put("fn", 0);
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:sqs:us-east-1:000000000000:failures"), 0));
        functions.dlq = Optional.of("arn:aws:sqs:us-east-1:000000000000:dlq");
        enqueue(q, "fn", "{\"z\":0}");
        await(() -> destinations.records.size() == 1 && destinations.letters.size() == 1);
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.ZeroReservedConcurrency);
        assertThat(r.approximateInvokeCount()).isZero();
        assertThat(r.response()).isEmpty();
        assertThat(functions.calls("fn")).isZero();
        assertThat(destinations.letters.getFirst().getValue().errorCode()).isEqualTo(429);
    }

    @Test
    void eventAgeExceededAfterAFailedAttempt_keepsThatAttemptsResponse() {
        AsyncQueue q = queue(FAST.withRetryDelays(List.of(Duration.ofSeconds(30), Duration.ofSeconds(30))));
        functions.behaviour.put("fn", inv -> error("{\"errorMessage\":\"first\"}"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.of(60), Optional.empty(),
                Optional.of("arn:aws:sqs:us-east-1:000000000000:failures"), 0));
        enqueue(q, "fn", "{}");
        await(() -> status(q, "fn").retried() == 1);
        clock.advance(Duration.ofSeconds(61));
        q.wakeUp();
        await(() -> destinations.records.size() == 1);
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.EventAgeExceeded);
        assertThat(r.approximateInvokeCount()).isEqualTo(1);
        assertThat(new String(r.response().orElseThrow().payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"errorMessage\":\"first\"}");
    }

    @Test
    void unreachableDestination_isRetried_notDropped() {
        AsyncQueue q = queue(FAST);
        functions.behaviour.put("fn", inv -> ok("1"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:sqs:us-east-1:000000000000:q"), Optional.empty(), 0));
        destinations.failuresLeft.set(3);
        enqueue(q, "fn", "{}");
        await(() -> destinations.records.size() == 1);
        assertThat(destinations.refused.get()).isEqualTo(3);
        assertThat(functions.calls("fn")).isEqualTo(1);
        await(() -> status(q, "fn").delivering() == 0);
        assertStoreEmpty(q);
    }

    @Test
    void eventsInTheStore_runAfterARestart() throws Exception {
        var block = new CountDownLatch(1);
        functions.behaviour.put("slow", inv -> {
            try {
                block.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok("1");
        });
        AsyncQueue first = queue(FAST);
        for (int i = 0; i < 5; i++) {
            enqueue(first, "slow", "{\"i\":" + i + "}");
        }
        await(() -> functions.calls("slow") >= 1);
        first.close();
        queues.remove(first);
        block.countDown();

        functions.invocations.clear();
        functions.behaviour.put("slow", inv -> ok("1"));
        AsyncQueue second = queue(FAST);
        await(() -> status(second, "slow").succeeded() == 5);
        assertThat(functions.invocations).extracting(i -> new String(i.payload(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("{\"i\":0}", "{\"i\":1}", "{\"i\":2}", "{\"i\":3}", "{\"i\":4}");
    }

    @Test
    void aBusyFunction_doesNotStarveAnother() throws Exception {
        AsyncQueue q = queue(FAST.withConcurrencyPerFunction(1));
        var gate = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        functions.behaviour.put("busy", inv -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("busy");
            return ok("1");
        });
        functions.behaviour.put("quiet", inv -> {
            order.add("quiet");
            return ok("1");
        });
        for (int i = 0; i < 50; i++) {
            enqueue(q, "busy", "{\"i\":" + i + "}");
        }
        enqueue(q, "quiet", "{}");
        // The busy function's first event holds its only slot and its 49 others wait behind it; the quiet
        // function's event runs all the same, in its own lane. (Timed against the busy events' completions
        // instead, this depended on which virtual thread the carriers ran first.)
        await(() -> order.contains("quiet"));
        assertThat(order).containsExactly("quiet");
        gate.countDown();
        await(() -> order.size() == 51);
        assertThat(order.subList(1, 51)).containsOnly("busy");
    }

    @Test
    void anOutcomeWaitingForItsDestination_isDeliveredAfterARestart() {
        functions.behaviour.put("fn", inv -> ok("{\"r\":1}"));
        functions.configs.put("fn", new EventInvokeConfig(Optional.empty(), Optional.empty(),
                Optional.of("arn:aws:sqs:us-east-1:000000000000:q"), Optional.empty(), 0));
        destinations.failuresLeft.set(Integer.MAX_VALUE);
        AsyncQueue first = queue(FAST);
        enqueue(first, "fn", "{\"p\":1}");
        await(() -> destinations.refused.get() >= 1 && status(first, "fn").delivering() == 1);
        first.close();
        queues.remove(first);

        destinations.failuresLeft.set(0);
        functions.invocations.clear();
        AsyncQueue second = queue(FAST);
        await(() -> destinations.records.size() == 1);
        DestinationRecord r = destinations.records.getFirst().getValue();
        assertThat(r.condition()).isEqualTo(DestinationRecord.Condition.Success);
        assertThat(new String(r.requestPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"p\":1}");
        assertThat(new String(r.response().orElseThrow().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"r\":1}");
        // The function is not run again: its outcome was stored.
        assertThat(functions.invocations).isEmpty();
        await(() -> status(second, "fn").delivering() == 0);
        assertStoreEmpty(second);
    }

    @Test
    void throttlesOfAttemptsInFlightTogether_backOffOnce() {
        AsyncQueue q = queue(FAST.withConcurrencyPerFunction(4)
                .withThrottleBackoff(Duration.ofMillis(300), Duration.ofSeconds(30)));
        var gate = new CountDownLatch(1);
        var throttling = new AtomicInteger(4);
        functions.behaviour.put("fn", inv -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (throttling.getAndDecrement() > 0) {
                throw new LambdaException(ErrorType.TooManyRequestsException, "Rate Exceeded.");
            }
            return ok("1");
        });
        for (int i = 0; i < 4; i++) {
            enqueue(q, "fn", "{\"i\":" + i + "}");
        }
        await(() -> functions.calls("fn") == 4);
        long released = System.nanoTime();
        gate.countDown();
        await(() -> status(q, "fn").succeeded() == 4);
        // One pause of 300 ms for the four throttles together, not 300 ms doubled four times (4.8 s).
        assertThat((System.nanoTime() - released) / 1_000_000).isLessThan(2_000);
        assertThat(status(q, "fn").throttled()).isEqualTo(4);
    }

    @Test
    void payloadsBeyondTheMemoryBudget_areReadBackFromTheStore() {
        AsyncQueue q = queue(FAST.withPayloadMemoryBytes(0));
        functions.behaviour.put("fn", inv -> ok("1"));
        enqueue(q, "fn", "{\"big\":\"" + "x".repeat(1000) + "\"}");
        await(() -> functions.calls("fn") == 1);
        assertThat(new String(functions.invocations.getFirst().payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"big\":\"" + "x".repeat(1000) + "\"}");
    }

    // ------------------------------------------------------------------ helpers

    private static AsyncStatus status(AsyncQueue q, String fn) {
        return q.status().stream().filter(s -> s.functionName().equals(fn)).findFirst()
                .orElse(new AsyncStatus(fn, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private void assertStoreEmpty(AsyncQueue q) {
        await(() -> {
            var store = AsyncStore.sqlite(dir.resolve("async.db"));
            try {
                return store.loadAll().isEmpty();
            } finally {
                store.close();
            }
        });
    }

    private static AsyncFunctions.Attempt ok(String payload) {
        return new AsyncFunctions.Attempt(Optional.empty(), payload.getBytes(StandardCharsets.UTF_8), "$LATEST");
    }

    private static AsyncFunctions.Attempt error(String payload) {
        return new AsyncFunctions.Attempt(Optional.of("Unhandled"), payload.getBytes(StandardCharsets.UTF_8), "$LATEST");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            sleep(5);
        }
    }

    static final class OffsetClock extends Clock {
        private final AtomicLong offset = new AtomicLong();

        void advance(Duration d) {
            offset.addAndGet(d.toMillis());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }
    }

    static final class FakeFunctions implements AsyncFunctions {
        final Map<String, Function<Invocation, Attempt>> behaviour = new ConcurrentHashMap<>();
        final Map<String, EventInvokeConfig> configs = new ConcurrentHashMap<>();
        final List<Invocation> invocations = new CopyOnWriteArrayList<>();
        final Map<String, Integer> reserved = new ConcurrentHashMap<>();
        volatile Optional<String> dlq = Optional.empty();

        int calls(String fn) {
            return (int) invocations.stream().filter(i -> i.functionName().equals(fn)).count();
        }

        @Override
        public Attempt invoke(Invocation invocation) {
            var b = behaviour.get(invocation.functionName());
            if (b == null) {
                throw LambdaException.notFound("Function not found: " + invocation.functionName());
            }
            invocations.add(invocation);
            return b.apply(invocation);
        }

        @Override
        public EventInvokeConfig eventInvokeConfig(String functionName, String qualifier) {
            return configs.getOrDefault(functionName, EventInvokeConfig.DEFAULTS);
        }

        @Override
        public Optional<String> deadLetterTarget(String functionName, String qualifier) {
            return dlq;
        }

        @Override
        public Optional<Integer> reservedConcurrency(String functionName) {
            return Optional.ofNullable(reserved.get(functionName));
        }

        @Override
        public String functionArn(String functionName, String qualifier) {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ":" + qualifier;
        }
    }

    static final class FakeDestinations implements Destinations {
        final List<Map.Entry<String, DestinationRecord>> records = Collections.synchronizedList(new ArrayList<>());
        final List<Map.Entry<String, DeadLetter>> letters = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public void deliver(String destinationArn, DestinationRecord record) {
            if (failuresLeft.getAndDecrement() > 0) {
                refused.incrementAndGet();
                throw new DeliveryException("unreachable");
            }
            records.add(Map.entry(destinationArn, record));
        }

        @Override
        public void deadLetter(String targetArn, DeadLetter letter) {
            letters.add(Map.entry(targetArn, letter));
        }

        @Override
        public void sendDocument(String destinationArn, String json) {
            throw new UnsupportedOperationException("the async queue sends records, not documents");
        }

        @Override
        public void close() {
        }
    }
}
