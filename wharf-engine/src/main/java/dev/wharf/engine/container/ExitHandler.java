package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.base.id.HexId;
import dev.wharf.store.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * A container's exit, as its monitor reports it through the exit file: the runtime's remains are
 * cleaned up, the exit code and OOM kill recorded, {@code oom} and {@code die} published, waiters
 * told, the network released; then the restart policy or auto-remove decides what follows.
 */
final class ExitHandler {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final ContainerStarter starter;
    private final RestartPolicy restarts;
    private final ContainerRemover remover;

    ExitHandler(ContainerRegistry registry, ContainerStarter starter, RestartPolicy restarts,
            ContainerRemover remover) {
        this.registry = registry;
        this.starter = starter;
        this.restarts = restarts;
        this.remover = remover;
    }

    /** Called by the exit watcher when {@code <exit-dir>/<name>} holds an exit code. */
    void onExit(String name, int code) {
        Container c = HexId.isFull(name) ? registry.get(new ContainerId(name)) : null;
        if (c == null) {
            // Not ours (or a temporary file before its rename): never touch it.
            return;
        }
        ContainerPaths paths = registry.paths();
        boolean autoRemove;
        c.lock.lock();
        try {
            if (!c.state.running()) {
                LOG.log(System.Logger.Level.DEBUG, "exit of " + c.id + " ignored in state " + c.state.status());
                deleteExitFile(paths, c.id);
                return;
            }
            boolean oom = Files.exists(paths.bundle(c.id).resolve("oom")); // read before cleanup deletes it
            Instant now = registry.clock().now();
            Duration ranFor = Duration.between(Instant.parse(c.state.startedAt()), now);
            starter.releaseProcess(c.id);
            autoRemove = c.cfg.hostConfig().autoRemove();
            boolean restart = !autoRemove && RestartPolicy.wantsRestart(c, code, false);
            // Exited and, when the policy restarts it, restarting in one step, as Docker's inspect
            // (under the container's lock) sees it: never "exited" in between, which a client that
            // looks once its log stream or wait ended would take for the end of the container.
            StateRecord exited = c.state.exited(code, dev.wharf.engine.common.Times.rfc3339(now), oom);
            if (record(c, restart ? RestartPolicy.restarting(exited) : exited)) {
                deleteExitFile(paths, c.id);
            }
            if (oom) {
                registry.publish(c, "oom");
            }
            registry.publish(c, "die", java.util.Map.of("exitCode", String.valueOf(code)));
            c.exited(code);
            // After the waiters are told and "die" is out, as Docker releases the network after
            // SetStopped ("die", then the network's "disconnect"): a wait on a bridge container
            // ends ~40 ms sooner. Under the lock still, so a start or remove comes after it.
            starter.releaseNetwork(c.id);
            if (restart) {
                restarts.scheduleStart(c, ranFor);
            }
        } finally {
            c.lock.unlock();
        }
        if (autoRemove) {
            remover.removeQuietly(c);
        }
    }

    /**
     * Records the exit, with the database's reserve when the disk is full: the process is gone
     * whatever the disk says. Should even that fail, the container still moves on in memory (its
     * waiters and streams end) and the exit file stays, so a daemon start records the exit again.
     */
    private boolean record(Container c, StateRecord st) {
        try {
            Database.withReserve(() -> registry.setState(c, st));
            return true;
        } catch (IllegalStateException e) {
            throw e; // a move the statuses do not allow: a bug, not the disk
        } catch (RuntimeException e) {
            // setState took the new state in memory before the database refused it
            LOG.log(System.Logger.Level.ERROR, "cannot record the exit of " + c.id + " (recorded again at the next"
                    + " daemon start): " + e.getMessage());
            return false;
        }
    }

    private static void deleteExitFile(ContainerPaths paths, ContainerId id) {
        try {
            Files.deleteIfExists(paths.exitFile(id));
        } catch (IOException ignored) {
            // a stale exit file is removed again before the next start
        }
    }
}
