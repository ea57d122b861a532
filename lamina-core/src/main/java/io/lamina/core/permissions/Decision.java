package io.lamina.core.permissions;

import java.util.Optional;

/** The answer of a policy evaluation, with the statement that decided it (for the log). */
public record Decision(boolean allowed, Optional<String> statementId, String reason) {
    static Decision allow(String sid) {
        return new Decision(true, Optional.of(sid), "allowed by statement " + sid);
    }

    static Decision deny(String sid) {
        return new Decision(false, Optional.of(sid), "explicitly denied by statement " + sid);
    }

    static Decision implicitDeny(String why) {
        return new Decision(false, Optional.empty(), why);
    }
}
