package io.lamina.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling waits for end-to-end tests: the condition is checked every 20 ms until it holds or time is up. */
public final class Waits {
    private Waits() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep(20);
        }
    }

    /** Polls GetEventSourceMapping until the mapping is in {@code state}; answers that response. */
    public static software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse awaitMappingState(
            software.amazon.awssdk.services.lambda.LambdaClient lambda, String uuid, String state) {
        var last = new java.util.concurrent.atomic.AtomicReference<software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse>();
        await(uuid + " to be " + state, Duration.ofSeconds(20), () -> {
            last.set(lambda.getEventSourceMapping(r -> r.uuid(uuid)));
            return last.get().state().equals(state);
        });
        return last.get();
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
