package io.lamina.core.async;

import java.time.Duration;
import java.util.List;

/**
 * How the async queue retries and how much it runs at once. Defaults follow AWS; tests shorten
 * the delays.
 *
 * @param retryDelays             wait before the 1st, 2nd… retry after a function error (AWS: about 1 then 2 minutes)
 * @param throttleBackoffMin      first wait after a throttle or a system error (AWS: 1 s)
 * @param throttleBackoffMax      the wait doubles up to this (AWS: 5 minutes)
 * @param concurrencyPerFunction  events of one function running at once when it has no reserved concurrency;
 *                                AWS scales to the account limit, one machine should not start that many runtimes
 * @param payloadMemoryBytes      payloads kept in memory up to this total; beyond it they are read back from the store
 * @param deliveryRetryFor        how long an unreachable destination is retried before the record is dropped
 */
public record AsyncSettings(
        List<Duration> retryDelays,
        Duration throttleBackoffMin,
        Duration throttleBackoffMax,
        int concurrencyPerFunction,
        long payloadMemoryBytes,
        Duration deliveryRetryFor) {

    public AsyncSettings {
        retryDelays = List.copyOf(retryDelays);
        if (retryDelays.size() < 2) {
            throw new IllegalArgumentException("need a delay for each of the 2 retries AWS allows");
        }
        if (concurrencyPerFunction < 1) {
            throw new IllegalArgumentException("concurrencyPerFunction must be at least 1");
        }
    }

    public static AsyncSettings defaults() {
        return new AsyncSettings(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                64L << 20, Duration.ofHours(6));
    }

    public AsyncSettings withRetryDelays(List<Duration> delays) {
        return new AsyncSettings(delays, throttleBackoffMin, throttleBackoffMax, concurrencyPerFunction,
                payloadMemoryBytes, deliveryRetryFor);
    }

    public AsyncSettings withThrottleBackoff(Duration min, Duration max) {
        return new AsyncSettings(retryDelays, min, max, concurrencyPerFunction, payloadMemoryBytes, deliveryRetryFor);
    }

    public AsyncSettings withConcurrencyPerFunction(int n) {
        return new AsyncSettings(retryDelays, throttleBackoffMin, throttleBackoffMax, n, payloadMemoryBytes,
                deliveryRetryFor);
    }

    public AsyncSettings withPayloadMemoryBytes(long bytes) {
        return new AsyncSettings(retryDelays, throttleBackoffMin, throttleBackoffMax, concurrencyPerFunction, bytes,
                deliveryRetryFor);
    }

    /** The wait before retry number {@code retry} (1-based); AWS allows at most 2. */
    public Duration retryDelay(int retry) {
        return retryDelays.get(Math.min(retry, retryDelays.size()) - 1);
    }

    /** The wait after the {@code n}th consecutive throttle or system error (1-based). */
    public long backoffMs(int n) {
        long ms = throttleBackoffMin.toMillis() << Math.min(Math.max(n - 1, 0), 20);
        return Math.min(ms, throttleBackoffMax.toMillis());
    }
}
