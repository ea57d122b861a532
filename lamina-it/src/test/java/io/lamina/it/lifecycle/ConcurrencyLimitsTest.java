package io.lamina.it.lifecycle;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reserved and account concurrency limits, as TooManyRequestsException with AWS's reasons. */
class ConcurrencyLimitsTest {
    static LaminaFixture lamina;
    private static final String SLOW = "exports.handler = async () => { await new Promise(r => setTimeout(r, 400)); return process.pid; };";

    @BeforeAll
    static void start() {
        // A small account so that "account exhausted" is reachable: 3 executions, of which 1 may be reserved.
        lamina = LaminaFixture.start(c -> c.withConcurrency(3, 2));
        lamina.create("zero", Runtime.NODEJS20_X, "index.handler", Functions.node(SLOW));
        lamina.create("one", Runtime.NODEJS20_X, "index.handler", Functions.node(SLOW));
        lamina.create("shared", Runtime.NODEJS20_X, "index.handler", Functions.node(SLOW));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    /** Runs {@code n} invokes at the same moment; returns each outcome (a response or the exception). */
    private static List<Object> burst(String function, int n) throws Exception {
        var go = new CountDownLatch(1);
        var results = new ArrayList<Object>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return (Object) lamina.lambda().invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String("{}")));
                    } catch (TooManyRequestsException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            for (var f : futures) {
                results.add(f.get());
            }
        }
        return results;
    }

    @Test
    void invoke_whenReservedConcurrencyIsZero_throttlesEveryCall() {
        lamina.lambda().putFunctionConcurrency(r -> r.functionName("zero").reservedConcurrentExecutions(0));
        try {
            assertThatThrownBy(() -> lamina.lambda().invoke(r -> r.functionName("zero")))
                    .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
                    });
        } finally {
            lamina.lambda().deleteFunctionConcurrency(r -> r.functionName("zero"));
        }
        assertThat(lamina.lambda().invoke(r -> r.functionName("zero")).statusCode()).isEqualTo(200);
    }

    @Test
    void invoke_whenReservedConcurrencyIsOne_runsOneAtATimeAndThrottlesTheRest() throws Exception {
        lamina.lambda().putFunctionConcurrency(r -> r.functionName("one").reservedConcurrentExecutions(1));
        try {
            List<Object> outcomes = burst("one", 6);
            long ok = outcomes.stream().filter(o -> o instanceof InvokeResponse).count();
            List<TooManyRequestsException> throttled = outcomes.stream().filter(o -> o instanceof TooManyRequestsException)
                    .map(o -> (TooManyRequestsException) o).toList();
            assertThat(ok).isGreaterThanOrEqualTo(1);
            assertThat(throttled).isNotEmpty();
            assertThat(ok + throttled.size()).isEqualTo(6);
            assertThat(throttled).allSatisfy(e ->
                    assertThat(e.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded"));
            // All successes ran in the same single environment.
            assertThat(outcomes.stream().filter(o -> o instanceof InvokeResponse)
                    .map(o -> ((InvokeResponse) o).payload().asUtf8String()).distinct()).hasSize(1);
            assertThat(lamina.server().core().environments().environmentCount("one")).isEqualTo(1);
        } finally {
            lamina.lambda().deleteFunctionConcurrency(r -> r.functionName("one"));
        }
    }

    @Test
    void invoke_whenAccountConcurrencyIsExhausted_throttlesWithConcurrentInvocationLimitExceeded() throws Exception {
        List<Object> outcomes = burst("shared", 8);
        List<TooManyRequestsException> throttled = outcomes.stream().filter(o -> o instanceof TooManyRequestsException)
                .map(o -> (TooManyRequestsException) o).toList();
        long ok = outcomes.size() - throttled.size();
        assertThat(ok).isBetween(1L, 3L);
        assertThat(throttled).isNotEmpty().allSatisfy(e ->
                assertThat(e.reasonAsString()).isEqualTo("ConcurrentInvocationLimitExceeded"));
    }

    @Test
    void putFunctionConcurrency_whenItWouldLeaveTooLittleUnreserved_isRejected() {
        assertThatThrownBy(() -> lamina.lambda().putFunctionConcurrency(r -> r.functionName("shared").reservedConcurrentExecutions(2)))
                .hasMessageContaining("Specified ReservedConcurrentExecutions for function decreases account's "
                        + "UnreservedConcurrentExecution below its minimum value of [2].");
    }
}
