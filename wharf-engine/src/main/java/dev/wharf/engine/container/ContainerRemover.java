package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.store.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            Database.withReserve(() -> remove(c.id.value(), true, true));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "auto-remove of " + c.id + " failed: " + e.getMessage());
        }
    }

    /**
     * Renames the container's directory into the trash (one rename, however much the container
     * wrote) so the removal does not wait for its files to be unlinked; null if it had none.
     */
    private static Path moveToTrash(ContainerPaths paths, ContainerId id) throws IOException {
        Path dir = paths.dir(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Files.createDirectories(paths.trash());
        Path to = paths.trash().resolve(id.value() + "-" + System.nanoTime());
        try {
            Files.move(dir, to, StandardCopyOption.ATOMIC_MOVE);
            return to;
        } catch (IOException e) {
            AtomicFiles.deleteTree(dir); // another file system (a data root made of mounts): delete in place
            return null;
        }
    }

    /** At daemon start: the files of removals that a stop cut short, deleted in the background. */
    static void emptyTrash(ContainerPaths paths) {
        Path trash = paths.trash();
        if (!Files.isDirectory(trash)) {
            return;
        }
        Thread.ofVirtual().name("container-trash-sweep").start(() -> {
            try (var s = Files.list(trash)) {
                s.forEach(ContainerRemover::deleteQuietly);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list " + trash + ": " + e.getMessage());
            }
        });
    }

    private static void deleteQuietly(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + " (retried at the next start): "
                    + e.getMessage());
        }
    }

    /** Caller holds lock (or is the reconciler). */
    void finishRemove(Container c, boolean removeAnonymousVolumes) {
        ContainerPaths paths = registry.paths();
        restarts.reset(c.id);
        starter.cleanup(c.id);
        networks.release(c.id);
        List<String> vols = volumes.volumesOf(c.id.value());
        Path trashed;
        try {
            AtomicFiles.deleteTree(paths.bundle(c.id));
            trashed = moveToTrash(paths, c.id);
        } catch (IOException e) {
            throw new InternalException("cannot remove container files: " + e.getMessage(), e);
        }
        registry.forget(c);
        if (trashed != null) {
            Thread.ofVirtual().name("container-files-delete").start(() -> deleteQuietly(trashed));
        }
        if (removeAnonymousVolumes) {
            volumes.removeAnonymousOf(c.id.value(), vols);
        }
        registry.publish(c, "destroy");
        c.markRemoved();
    }
}
