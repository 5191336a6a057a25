package dev.wharf.engine.network;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host ports running containers hold ({@code port_bindings}): picked at start from what is
 * free ({@link PortAllocator}), released when the container stops. The rows are read from SQLite
 * once and kept until a bind or unbind (a {@code ps} of many containers asks for them once per
 * running container). Binds hold this object's monitor, so two starts never pick the same port.
 */
final class PublishedPorts {

    private final NetworkTable table;
    private final AtomicLong writes = new AtomicLong();
    private volatile List<PortRow> cache;

    PublishedPorts(NetworkTable table) {
        this.table = table;
    }

    /** Every container's published ports, as stored. */
    List<PortRow> all() {
        List<PortRow> p = cache;
        if (p == null) {
            long seen = writes.get();
            p = List.copyOf(table.ports());
            synchronized (writes) {
                if (writes.get() == seen) { // no bind or unbind since the read: not stale
                    cache = p;
                }
            }
        }
        return p;
    }

    /** The container's published ports. */
    List<PortRow> of(ContainerId containerId) {
        return all().stream().filter(p -> p.containerId().equals(containerId.value())).toList();
    }

    /**
     * Picks host ports for what the container asks and records them; 409 when one is taken, naming
     * the endpoint as Docker does: {@code on endpoint web (<endpoint id>): Bind for ...}.
     */
    synchronized List<PortRow> bind(ContainerId containerId, String endpoint, List<PortAllocator.Wanted> wanted) {
        String failed = "driver failed programming external connectivity on endpoint " + endpoint + ": ";
        unbind(containerId);
        List<PortRow> ports;
        try {
            ports = PortAllocator.pick(containerId, wanted, all());
        } catch (ConflictException e) {
            throw new ConflictException(failed + e.getMessage());
        }
        boolean ok;
        try {
            ok = table.bindPorts(ports);
        } finally {
            dropCache();
        }
        if (!ok) {
            throw new ConflictException(failed + "port is already allocated");
        }
        return ports;
    }

    /** Releases the container's host ports. */
    void unbind(ContainerId containerId) {
        try {
            table.unbindPorts(containerId.value());
        } finally {
            dropCache();
        }
    }

    private void dropCache() {
        synchronized (writes) {
            writes.incrementAndGet();
            cache = null;
        }
    }
}
