package io.lamina.core.function;

import java.util.List;

/**
 * A resource-based policy of one function qualifier: its statements as AWS JSON documents
 * (Sid, Effect, Principal, Action, Resource, Condition) and its own revision id (GetPolicy's), which
 * changes with every statement added or removed and is independent of the function's revision id.
 */
public record Policy(List<String> statementsJson, String revisionId) {
    public Policy {
        statementsJson = List.copyOf(statementsJson);
    }
}
