package io.lamina.core.mappings;

/**
 * Told when a mapping settles in a state or goes; pollers start, stop and reconfigure from these calls.
 * Calls come from a background thread, one per change, after the new state is durable; transitional
 * states (Creating, Updating…) are not announced, only where they settle. A poller starting up reads
 * {@link MappingRegistry#all()} once, then follows these calls.
 */
public interface MappingListener {
    /** The mapping's configuration or state changed; {@code mapping} is the new value. */
    default void stateChanged(EventSourceMapping mapping) {
    }

    /** The mapping finished deleting: stop reading its source. */
    default void deleted(EventSourceMapping mapping) {
    }
}
