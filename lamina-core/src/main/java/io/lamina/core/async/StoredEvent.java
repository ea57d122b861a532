package io.lamina.core.async;

import java.util.Optional;

/**
 * One accepted asynchronous event as the queue stores it.
 *
 * @param qualifier   the qualifier the caller invoked (empty = unqualified); resolved at each attempt,
 *                    so an event queued before a code update runs the new code, as on AWS
 * @param attempts    invocations started so far ({@code approximateInvokeCount})
 * @param dueAtMs     earliest next attempt (stage INVOKE) or delivery (stage DELIVER), epoch ms
 * @param outcome     stage DELIVER: the deliveries still owed, as JSON
 */
public record StoredEvent(
        long id,
        String requestId,
        String functionName,
        Optional<String> qualifier,
        byte[] payload,
        Optional<String> clientContext,
        Optional<String> traceId,
        long receivedAtMs,
        int attempts,
        long dueAtMs,
        Stage stage,
        Optional<String> outcome) {

    public enum Stage { INVOKE, DELIVER }
}
