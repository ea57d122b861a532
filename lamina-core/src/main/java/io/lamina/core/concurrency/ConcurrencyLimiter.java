package io.lamina.core.concurrency;

import io.lamina.core.errors.LambdaException;
import io.lamina.core.errors.ThrottleReason;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Lambda's concurrency model: a function with reserved concurrency runs at most that many
 * invocations at once; all other functions share what the account limit leaves unreserved.
 * Lock-free: a lease is one compare-and-set.
 */
public final class ConcurrencyLimiter {
    private final int accountLimit;
    private final IntSupplier totalReserved;
    private final AtomicInteger unreservedInUse = new AtomicInteger();
    private final Map<String, AtomicInteger> reservedInUse = new ConcurrentHashMap<>();

    /** A slot taken; {@link #close()} gives it back (once). */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    public ConcurrencyLimiter(int accountLimit, IntSupplier totalReserved) {
        this.accountLimit = accountLimit;
        this.totalReserved = totalReserved;
    }

    /**
     * Takes a slot for one invocation of {@code function}.
     *
     * @throws LambdaException TooManyRequestsException with the reason AWS gives
     */
    public Lease acquire(String function, Optional<Integer> reserved) {
        if (reserved.isPresent()) {
            AtomicInteger used = reservedInUse.computeIfAbsent(function, k -> new AtomicInteger());
            return take(used, reserved.get(), ThrottleReason.ReservedFunctionConcurrentInvocationLimitExceeded);
        }
        return take(unreservedInUse, accountLimit - totalReserved.getAsInt(), ThrottleReason.ConcurrentInvocationLimitExceeded);
    }

    /** Unreserved executions available to functions without a reservation. */
    public int unreservedLimit() {
        return accountLimit - totalReserved.getAsInt();
    }

    public int inUse(String function) {
        AtomicInteger r = reservedInUse.get(function);
        return r == null ? 0 : r.get();
    }

    private static Lease take(AtomicInteger counter, int limit, ThrottleReason reason) {
        while (true) {
            int cur = counter.get();
            if (cur >= limit) {
                throw LambdaException.throttled(reason);
            }
            if (counter.compareAndSet(cur, cur + 1)) {
                var released = new java.util.concurrent.atomic.AtomicBoolean();
                return () -> {
                    if (released.compareAndSet(false, true)) {
                        counter.decrementAndGet();
                    }
                };
            }
        }
    }
}
