package io.lamina.core.async;

/**
 * The async queue of one function, as {@code lamina async status} shows it.
 *
 * @param queued      accepted events waiting for an attempt (first or retry)
 * @param inFlight    events being invoked now
 * @param delivering  outcomes waiting to reach a destination or dead-letter queue
 * @param retried     retries scheduled after function errors, since start
 * @param throttled   attempts put back because of throttles or system errors, since start
 * @param succeeded   events whose function succeeded, since start
 * @param failed      events that ended in failure (retries exhausted or too old), since start
 * @param dropped     outcomes that went nowhere: failures with no OnFailure destination or DLQ, records no
 *                    destination accepted in time, events of deleted functions; since start
 */
public record AsyncStatus(String functionName, int queued, int inFlight, int delivering, long retried,
                          long throttled, long succeeded, long failed, long dropped) {
}
