package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.network.NetworkService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A container's network set-up (namespace, netavark) running on a virtual thread of its own while
 * the starter mounts the root file system and writes the bundle; joined before the runtime creates
 * the container. Containers without a network of Wharf's start no thread.
 */
final class NetworkSetup {

    private final FutureTask<NetworkService.Sandbox> task;

    private NetworkSetup(FutureTask<NetworkService.Sandbox> task) {
        this.task = task;
    }

    static NetworkSetup begin(NetworkService networks, ContainerId containerId, NetworkService.StartRequest request) {
        if (!networks.hasEndpoints(containerId)) {
            return new NetworkSetup(null);
        }
        FutureTask<NetworkService.Sandbox> t = new FutureTask<>(() -> networks.setUp(request));
        Thread.ofVirtual().name("wharf-netsetup-" + containerId.shortId()).start(t);
        return new NetworkSetup(t);
    }

    /** The set-up sandbox, or null; rethrows the set-up's failure. */
    NetworkService.Sandbox join() {
        if (task == null) {
            return null;
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up the network", e);
        }
    }

    /** Waits for the set-up to end, whatever its outcome, so that a teardown after it sees all it made. */
    void settle() {
        if (task == null) {
            return;
        }
        try {
            task.get();
        } catch (ExecutionException | RuntimeException ignored) {
            // reported by join(), or undone by the set-up itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
