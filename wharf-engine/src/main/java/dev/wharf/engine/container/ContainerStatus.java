package dev.wharf.engine.container;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A container's status as Docker names it ({@code State.Status}), with the moves the engine makes
 * between them:
 * <pre>
 *   created ──start──→ running ──pause──→ paused ──unpause──→ running
 *      │                  │ exit              │ exit
 *      │                  ↓                   ↓
 *      │               exited ←──────────── (a running status exits to exited, or to restarting
 *      │                  │ policy       ↑    at once when its policy restarts it)
 *      │                  ↓              │ back-off cancelled, or the restart failed
 *      │              restarting ──start──→ running
 *      └──remove──→ removing ←──remove── exited
 * </pre>
 * A failed start leaves a created container created and any other exited. {@code dead} is never
 * entered by Wharf; it is read for filters and views as Docker defines it.
 */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    /** What may follow each status; a status may always stay what it is. */
    private static final java.util.Map<ContainerStatus, Set<ContainerStatus>> NEXT = new java.util.EnumMap<>(
            java.util.Map.of(
                    CREATED, EnumSet.of(RUNNING, EXITED, REMOVING),
                    RUNNING, EnumSet.of(PAUSED, EXITED, RESTARTING),
                    PAUSED, EnumSet.of(RUNNING, EXITED, RESTARTING),
                    RESTARTING, EnumSet.of(RUNNING, EXITED),
                    EXITED, EnumSet.of(RUNNING, RESTARTING, REMOVING),
                    REMOVING, EnumSet.noneOf(ContainerStatus.class),
                    DEAD, EnumSet.of(REMOVING)));

    /** The name in the API and in the database. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ContainerStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Running as Docker counts it ({@code State.Running}): running, paused or restarting. */
    public boolean running() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }

    /** Whether the engine may move a container from this status to {@code next}. */
    public boolean canMoveTo(ContainerStatus next) {
        return next == this || NEXT.get(this).contains(next);
    }

    @Override
    public String toString() {
        return wire();
    }
}
