package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import java.io.IOException;
import java.util.List;

/**
 * {@code DELETE /containers/{id}}: a running container is refused, or with {@code force} killed
 * first; then the container is marked removing (so a crash part-way is finished at the next
 * start), its runtime remains, leases, files and row go, and {@code destroy} is published.
 */
final class ContainerRemover {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final RestartScheduler restarts;
    private final Stopper stopper;
    private final ContainerStarter starter;
    private final NetworkService networks;
    private final VolumeService volumes;

    ContainerRemover(ContainerRegistry registry, RestartScheduler restarts, Stopper stopper,
            ContainerStarter starter, NetworkService networks, VolumeService volumes) {
        this.registry = registry;
        this.restarts = restarts;
        this.stopper = stopper;
        this.starter = starter;
        this.networks = networks;
        this.volumes = volumes;
    }

    void remove(String idOrName, boolean force, boolean removeVolumes) {
        Container c = registry.find(idOrName);
        if (force) {
            restarts.cancelRestart(c, true);
        }
        if (c.state.running()) {
            if (!force) {
                throw running(c);
            }
            stopper.stopAndWait(c, 9, 0);
        }
        c.lock.lock();
        try {
            if (c.removed) {
                return;
            }
            if (c.state.running()) {
                throw running(c);
            }
            registry.setState(c, c.state.withStatus(ContainerStatus.REMOVING));
            finishRemove(c, removeVolumes || c.cfg.hostConfig().autoRemove());
        } finally {
            c.lock.unlock();
        }
    }

    private static ConflictException running(Container c) {
        return new ConflictException("You cannot remove a running container " + c.id
                + ". Stop the container before attempting removal or force remove");
    }

    /** Auto-remove: a failure is logged, not thrown. */
    void removeQuietly(Container c) {
        try {
            remove(c.id, true, true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "auto-remove of " + c.id + " failed: " + e.getMessage());
        }
    }

    /** Caller holds lock (or is the reconciler). */
    void finishRemove(Container c, boolean removeAnonymousVolumes) {
        ContainerPaths paths = registry.paths();
        restarts.reset(c.id);
        starter.cleanup(c.id);
        networks.release(c.id);
        List<String> vols = volumes.volumesOf(c.id);
        try {
            AtomicFiles.deleteTree(paths.bundle(c.id));
            AtomicFiles.deleteTree(paths.dir(c.id));
        } catch (IOException e) {
            throw new InternalException("cannot remove container files: " + e.getMessage(), e);
        }
        registry.forget(c);
        if (removeAnonymousVolumes) {
            volumes.removeAnonymousOf(c.id, vols);
        }
        registry.publish(c, "destroy");
        c.markRemoved();
    }
}
