package io.lamina.it.async;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.async.AsyncStatus;
import io.lamina.it.LaminaFixture;
import io.lamina.server.cli.LaminaCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.lamina.it.async.AsyncTestSupport.event;
import static io.lamina.it.async.AsyncTestSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event invocations through the AWS SDK: 202 once queued, delivery of every event, retries of
 * function errors with the same request id, event age, the legacy InvokeAsync and the queue's status.
 */
class AsyncInvokeTest {
    private static final AsyncTestSupport.MovableClock CLOCK = new AsyncTestSupport.MovableClock();
    private static LaminaFixture lamina;

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start(c -> c.withAsync(c.async()
                .withRetryDelays(List.of(Duration.ofMillis(300), Duration.ofMillis(600)))
                .withThrottleBackoff(Duration.ofMillis(50), Duration.ofMillis(200))), CLOCK);
        lamina.create("recorder", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    private InvokeResponse invokeEvent(String function, String payload) {
        return lamina.lambda().invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
    }

    private static boolean eventually(long millis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    private static AsyncStatus status(String function) {
        return lamina.server().core().asyncQueue().status().stream()
                .filter(s -> s.functionName().equals(function)).findFirst()
                .orElse(new AsyncStatus(function, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void event_answers202WithTheRequestIdTheFunctionThenRunsWith() throws Exception {
        Path file = scratch.resolve("one.jsonl");
        InvokeResponse r = invokeEvent("recorder", event(file, 1, false));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.payload().asByteArray()).isEmpty();
        String requestId = r.responseMetadata().requestId();
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(eventually(10_000, () -> lines(file).size() == 1)).isTrue();
        assertThat(lines(file).getFirst().get("id").asText()).isEqualTo(requestId);
    }

    @Test
    void eventsFromParallelCallers_areAllDelivered_inWhateverOrder() throws Exception {
        Path file = scratch.resolve("many.jsonl");
        int events = 400;
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                int n = i;
                sent.add(pool.submit(() -> {
                    InvokeResponse r = invokeEvent("recorder", event(file, n, false));
                    assertThat(r.statusCode()).isEqualTo(202);
                    accepted.add(r.responseMetadata().requestId());
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
        assertThat(eventually(30_000, () -> lines(file).size() >= events)).isTrue();
        Thread.sleep(200);
        List<JsonNode> got = lines(file);
        assertThat(got).hasSize(events);
        Set<Integer> numbers = got.stream().map(l -> l.get("n").asInt()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(numbers).isEqualTo(IntStream.range(0, events).boxed().collect(Collectors.toCollection(TreeSet::new)));
        assertThat(got.stream().map(l -> l.get("id").asText()).collect(Collectors.toSet())).isEqualTo(accepted);
    }

    @Test
    void functionError_isRetriedTwice_withTheSameRequestId_afterTheConfiguredDelays() throws Exception {
        Path file = scratch.resolve("failing.jsonl");
        InvokeResponse r = invokeEvent("recorder", event(file, 7, true));
        String requestId = r.responseMetadata().requestId();
        assertThat(eventually(15_000, () -> lines(file).size() == 3)).isTrue();
        Thread.sleep(1000);
        List<JsonNode> got = lines(file);
        assertThat(got).hasSize(3);
        assertThat(got).allSatisfy(l -> assertThat(l.get("id").asText()).isEqualTo(requestId));
        long first = got.get(0).get("t").asLong();
        long second = got.get(1).get("t").asLong();
        long third = got.get(2).get("t").asLong();
        assertThat(second - first).isGreaterThanOrEqualTo(300);
        assertThat(third - second).isGreaterThanOrEqualTo(600);
        // The function's log has one START/END/REPORT per attempt, all with the event's request id.
        String log = logOf("recorder");
        assertThat(log.split("END RequestId: " + requestId, -1)).hasSize(4);
    }

    @Test
    void legacyInvokeAsync_answers202WithStatus_andRunsTheFunction() throws Exception {
        Path file = scratch.resolve("legacy.jsonl");
        // SDK v2 no longer generates the deprecated operation: the request as older SDKs send it.
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(lamina.endpoint() + "/2014-11-13/functions/recorder/invoke-async/"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event(file, 3, false))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"Status\":202}");
        String requestId = r.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(eventually(10_000, () -> lines(file).size() == 1)).isTrue();
        assertThat(lines(file).getFirst().get("id").asText()).isEqualTo(requestId);
    }

    @Test
    void throttledEvents_waitAndExpireAfterTheirMaximumAge_andTheStatusCountsThem() throws Exception {
        lamina.create("parked", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        lamina.lambda().putFunctionConcurrency(b -> b.functionName("parked").reservedConcurrentExecutions(1));
        Path file = scratch.resolve("parked.jsonl");
        // A long synchronous call holds the function's only slot: the async events are throttled.
        Thread holder = Thread.ofVirtual().start(() -> lamina.lambda().invoke(b -> b.functionName("parked")
                .payload(SdkBytes.fromUtf8String("{\"file\":\"" + scratch.resolve("holder.jsonl")
                        + "\",\"n\":-1,\"sleepMs\":6000}"))));
        assertThat(eventually(5_000, () -> lines(scratch.resolve("holder.jsonl")).size() == 1)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(invokeEvent("parked", event(file, i, false)).statusCode()).isEqualTo(202);
        }
        assertThat(eventually(3_000, () -> status("parked").throttled() >= 2)).isTrue();
        // Queued, or in flight being throttled at this very moment.
        assertThat(status("parked").queued() + status("parked").inFlight()).isEqualTo(3);

        // Six hours later (AWS's default maximum event age), the events are discarded unrun.
        CLOCK.advance(Duration.ofHours(6).plusSeconds(1));
        lamina.server().core().asyncQueue().wakeUp();
        assertThat(eventually(3_000, () -> status("parked").failed() == 3)).isTrue();
        AsyncStatus s = status("parked");
        assertThat(s.queued()).isZero();
        assertThat(s.dropped()).isEqualTo(3); // no OnFailure destination and no DLQ
        assertThat(lines(file)).isEmpty();
        holder.join();

        String table = runCli("async", "status", "parked");
        assertThat(table).containsPattern("FUNCTION +QUEUED +INFLIGHT +DELIVERING +RETRIED +THROTTLED +SUCCEEDED "
                + "+FAILED +DROPPED");
        assertThat(table).containsPattern("parked +0 +0 +0 +0 +\\d+ +0 +3 +3");
    }

    @Test
    void zeroReservedConcurrency_failsTheEventsAtOnce_withoutRunningThem() throws Exception {
        lamina.create("closed", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        lamina.lambda().putFunctionConcurrency(b -> b.functionName("closed").reservedConcurrentExecutions(0));
        Path file = scratch.resolve("closed.jsonl");
        for (int i = 0; i < 3; i++) {
            assertThat(invokeEvent("closed", event(file, i, false)).statusCode()).isEqualTo(202);
        }
        assertThat(eventually(5_000, () -> status("closed").failed() == 3)).isTrue();
        assertThat(status("closed").dropped()).isEqualTo(3);
        assertThat(status("closed").queued()).isZero();
        assertThat(lines(file)).isEmpty();
    }

    private static String runCli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--port";
        all[args.length + 1] = Integer.toString(lamina.server().port());
        int code = new CommandLine(new LaminaCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(all);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private static String logOf(String function) throws Exception {
        var out = new StringWriter();
        new CommandLine(new LaminaCommand()).setOut(new PrintWriter(out, true))
                .execute("logs", function, "--data-dir", lamina.dataDir().toString());
        return out.toString();
    }
}
