package dev.wharf.engine.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.base.id.HexId;
import dev.wharf.base.time.Clock;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.model.container.Health;
import dev.wharf.store.table.ContainerTable.ContainerRow;
import dev.wharf.store.table.ContainerTable;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers the daemon knows: the in-memory map (loaded from the database at start), lookup
 * by ID, name or unique ID prefix, and the only writer of their database rows and of their
 * events. Every other class of this package finds containers and records their changes here; a
 * container's fields change under its own lock ({@link Container#lock}).
 */
final class ContainerRegistry {

    private final ContainerTable table;
    private final EventService events;
    private final ContainerPaths paths;
    private final LogRotator logRotator;
    private final Clock clock;
    private final Map<ContainerId, Container> byId = new ConcurrentHashMap<>();

    ContainerRegistry(ContainerTable table, EventService events, ContainerPaths paths, LogRotator logRotator,
            Clock clock) {
        this.table = table;
        this.events = events;
        this.paths = paths;
        this.logRotator = logRotator;
        this.clock = clock;
    }

    /** Reads every container's row into memory; at daemon start, before anything else. */
    void load() throws IOException {
        for (ContainerRow row : table.list()) {
            StoredConfig cfg = Json.mapper().readValue(row.config(), StoredConfig.class);
            StateRecord st = Json.mapper().readValue(row.state(), StateRecord.class);
            Container c = new Container(cfg, st);
            if (row.health() != null) {
                c.health = Json.mapper().readValue(row.health(), Health.class);
            }
            byId.put(c.id, c);
        }
    }

    ContainerPaths paths() {
        return paths;
    }

    Clock clock() {
        return clock;
    }

    /** The current time as the API writes it. */
    String now() {
        return Times.rfc3339(clock.now());
    }

    // ---- lookup ----

    /** By full ID, name (with or without its "/") or unique ID prefix; 404 when none, 400 when ambiguous. */
    Container find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new NotFoundException("No such container: " + idOrName);
        }
        Container c = HexId.isFull(idOrName) ? byId.get(new ContainerId(idOrName)) : null;
        if (c != null && !c.removed) {
            return c;
        }
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        Optional<Container> byName = byName(name);
        if (byName.isPresent()) {
            return byName.get();
        }
        List<Container> prefix = byId.values().stream().filter(x -> !x.removed && x.id.value().startsWith(idOrName))
                .toList();
        if (prefix.size() == 1) {
            return prefix.getFirst();
        }
        if (prefix.size() > 1) {
            throw new InvalidArgumentException("multiple IDs found with provided prefix: " + idOrName);
        }
        throw new NotFoundException("No such container: " + idOrName);
    }

    Optional<Container> byName(String name) {
        return byId.values().stream().filter(x -> !x.removed && x.name().equals(name)).findFirst();
    }

    /** The container with exactly this ID, or null (also once removed). */
    Container get(ContainerId id) {
        return byId.get(id);
    }

    /** Every container in memory (some may be being removed: check {@link Container#removed}). */
    Collection<Container> all() {
        return byId.values();
    }

    ConflictException nameConflict(String n) {
        String other = byName(n).map(c -> c.id.value()).orElse("");
        return new ConflictException("Conflict. The container name \"/" + n + "\" is already in use by container \""
                + other + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    // ---- rows ----

    /** Inserts a new container's row; false when its name is taken. */
    boolean insert(StoredConfig cfg, StateRecord st, Instant created) {
        try {
            return table.insert(new ContainerRow(cfg.id(), cfg.name(), cfg.imageId(), Times.nanos(created),
                    Json.mapper().writeValueAsString(cfg), Json.mapper().writeValueAsString(st), st.status().wire()));
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot create container: " + e.getMessage(), e);
        }
    }

    /** Makes a created container (its row in place) known to lookups. */
    void add(Container c) {
        byId.put(c.id, c);
    }

    /** Deletes the row of a container whose creation is being undone. */
    void deleteRow(ContainerId id) {
        table.delete(id);
    }

    /** Caller holds lock (or is the reconciler). Deletes the container's row and forgets it. */
    void forget(Container c) {
        table.delete(c.id);
        byId.remove(c.id);
    }

    /**
     * Caller holds lock. Records a new state; the log rotation watch follows whether it runs.
     *
     * @throws IllegalStateException for a move {@link ContainerStatus} does not allow (a bug)
     */
    void setState(Container c, StateRecord st) {
        if (!c.state.status().canMoveTo(st.status())) {
            throw new IllegalStateException("container " + c.id + " cannot go from " + c.state.status() + " to "
                    + st.status());
        }
        c.state = st;
        if (st.running()) {
            logRotator.watch(c.id, paths.log(c.id), LogConfigCheck.of(c.cfg.hostConfig().logConfig()));
        } else {
            logRotator.unwatch(c.id);
        }
        try {
            table.updateState(c.id, Json.mapper().writeValueAsString(st), st.status().wire());
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot persist state: " + e.getMessage(), e);
        }
    }

    /** Caller holds lock. Persists a new name or config; 409 when the name is another container's. */
    void saveConfig(Container c, StoredConfig cfg) {
        try {
            if (!table.updateConfig(c.id, cfg.name(), Json.mapper().writeValueAsString(cfg))) {
                throw nameConflict(cfg.name());
            }
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot persist config: " + e.getMessage(), e);
        }
        c.cfg = cfg;
    }

    /** Sets State.Health as inspect shows it (null: no healthcheck) and persists it. */
    void setHealth(ContainerId id, Health health) {
        Container c = byId.get(id);
        if (c == null || c.removed) {
            return;
        }
        c.health = health;
        try {
            table.updateHealth(id, health == null ? null : Json.mapper().writeValueAsString(health));
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot persist health: " + e.getMessage(), e);
        }
    }

    /** Starts watching the log of a container that runs (at daemon start). */
    void watchLog(Container c) {
        logRotator.watch(c.id, paths.log(c.id), LogConfigCheck.of(c.cfg.hostConfig().logConfig()));
    }

    // ---- events ----

    void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attrs = eventAttributes(c);
        attrs.putAll(extra);
        events.publish("container", action, c.id.value(), attrs);
    }

    void publish(Container c, String action) {
        publish(c, action, Map.of());
    }

    /** The container's labels, image and name, as Docker's events carry them. */
    static Map<String, String> eventAttributes(Container c) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (c.cfg.config().labels() != null) {
            attrs.putAll(c.cfg.config().labels());
        }
        attrs.put("image", c.cfg.config().image());
        attrs.put("name", c.name());
        return attrs;
    }
}
