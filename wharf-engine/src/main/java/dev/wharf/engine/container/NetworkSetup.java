package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.network.NetworkService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container's network set-up (namespace, netavark) running on a virtual thread of its own while
 * the starter mounts the root file system and writes the bundle. It comes in two stages: the
 * namespace ({@link #namespace()}), which the runtime needs to create the container in it, and the
 * whole set-up ({@link #join()}: interfaces, addresses, firewall, DNS), which the container's
 * process needs when it starts. So runc create can run while netavark works (~150 ms here), and
 * the set-up is awaited before runc start. Containers without a network of Wharf's start no thread.
 */
final class NetworkSetup {

    /**
     * Set-ups in progress in this daemon. A create overlaps its set-up only when that is the only
     * one: with many starts at once, netavark's runs (one at a time on the host) are the critical
     * path, and runc creates beside them would slow it (20 parallel starts on the bridge: 3.3 s
     * -> 4.1 s when every create overlapped).
     */
    private static final AtomicInteger IN_PROGRESS = new AtomicInteger();

    private final FutureTask<NetworkService.Sandbox> task;
    private final CompletableFuture<NetworkService.Namespace> namespace;

    private NetworkSetup(FutureTask<NetworkService.Sandbox> task,
            CompletableFuture<NetworkService.Namespace> namespace) {
        this.task = task;
        this.namespace = namespace;
    }

    static NetworkSetup begin(NetworkService networks, ContainerId containerId, NetworkService.StartRequest request) {
        if (!networks.hasEndpoints(containerId)) {
            return new NetworkSetup(null, null);
        }
        CompletableFuture<NetworkService.Namespace> ns = new CompletableFuture<>();
        IN_PROGRESS.incrementAndGet();
        FutureTask<NetworkService.Sandbox> t = new FutureTask<>(() -> {
            try {
                NetworkService.Sandbox s = networks.setUp(request, ns::complete);
                ns.complete(s == null ? null : new NetworkService.Namespace(s.netns(), s.hosts())); // no-op if told
                return s;
            } catch (Throwable e) {
                ns.completeExceptionally(e);
                throw e;
            } finally {
                IN_PROGRESS.decrementAndGet();
            }
        });
        Thread.ofVirtual().name("wharf-netsetup-" + containerId.shortId()).start(t);
        return new NetworkSetup(t, ns);
    }

    /** The namespace, once it exists, or null; rethrows the set-up's failure if it came first. */
    NetworkService.Namespace namespace() {
        return namespace == null ? null : await(namespace);
    }

    /** The set-up sandbox, or null; rethrows the set-up's failure. */
    NetworkService.Sandbox join() {
        return task == null ? null : await(task);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
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

    /**
     * Whether the container may be created before this set-up has ended: not when runc is to write
     * a net.* sysctl at create, which may name the container's interfaces, nor while other set-ups
     * are in progress.
     */
    boolean mayOverlapCreate(HostOptions h) {
        return IN_PROGRESS.get() <= 1
                && (h.sysctls() == null || h.sysctls().keySet().stream().noneMatch(k -> k.startsWith("net.")));
    }

    /**
     * Awaits the whole set-up and writes the resolv.conf it calls for, in place: the runtime may
     * have bind-mounted the file into the container already.
     */
    void finish(Path resolvConf) throws IOException {
        Files.write(resolvConf, join().resolvConf().getBytes(StandardCharsets.UTF_8));
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
