package io.lamina.core.mappings;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code State} of an event source mapping as AWS reports it, with the moves allowed between states.
 * Anything not listed is refused: a poller must never see, say, Deleting → Enabled.
 */
public enum MappingState {
    Creating, Enabling, Enabled, Disabling, Disabled, Updating, Deleting;

    private static final Map<MappingState, Set<MappingState>> ALLOWED = Map.of(
            Creating, EnumSet.of(Enabled, Disabled, Deleting),
            Enabling, EnumSet.of(Enabled),
            Enabled, EnumSet.of(Disabling, Updating, Deleting),
            Disabling, EnumSet.of(Disabled),
            Disabled, EnumSet.of(Enabling, Updating, Deleting),
            Updating, EnumSet.of(Enabled, Disabled),
            // Deleting ends with the mapping gone, not in another state.
            Deleting, EnumSet.noneOf(MappingState.class));

    public boolean canMoveTo(MappingState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** {@code next}, or {@link IllegalTransition} when this state may not move there. */
    public MappingState moveTo(MappingState next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransition(this, next);
        }
        return next;
    }

    /** A state the API reports while a change is being applied; the mapping settles out of it shortly. */
    public boolean transitional() {
        return this == Creating || this == Enabling || this == Disabling || this == Updating || this == Deleting;
    }

    /** Where a transitional state settles: {@code enabled} decides for Creating and Updating. */
    public MappingState settled(boolean enabled) {
        return switch (this) {
            case Creating, Updating -> enabled ? Enabled : Disabled;
            case Enabling -> Enabled;
            case Disabling -> Disabled;
            default -> this;
        };
    }

    public static final class IllegalTransition extends IllegalStateException {
        public IllegalTransition(MappingState from, MappingState to) {
            super("event source mapping cannot move from " + from + " to " + to);
        }
    }
}
