package io.lamina.core.function;

import java.util.Optional;

/** Tells the registry whether this host can run a runtime. */
@FunctionalInterface
public interface RuntimeSupport {
    /** Why {@code runtime} cannot run on this host, or empty when it can. */
    Optional<String> unavailableReason(String runtime);
}
