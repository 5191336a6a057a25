package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.model.container.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A container as the engine holds it in memory: its config, its current state, and who waits
 * on it. Public methods of {@link ContainerService} take {@link #lock}; methods documented as
 * "caller holds lock" assume it.
 */
final class Container {

    final ContainerId id;
    final ReentrantLock lock = new ReentrantLock();
    /** Replaced only by rename and update, under {@link #lock}. */
    volatile StoredConfig cfg;
    volatile StateRecord state;
    /** State.Health as inspect shows it, set by the health monitor; null without a healthcheck. */
    volatile Health health;
    volatile boolean removed;
    /** {@link #cfg}'s HostConfig decoded, with the config it was decoded from. */
    private volatile Decoded decoded;
    private final List<CompletableFuture<Integer>> exitWaiters = new ArrayList<>();
    private final List<CompletableFuture<Integer>> removeWaiters = new ArrayList<>();
    private final List<AttachSession> pendingAttach = new ArrayList<>();
    /** The shared connection to this run's conmon attach socket; see {@link AttachHub}. */
    private AttachHub attachHub;

    Container(StoredConfig cfg, StateRecord state) {
        this.id = new ContainerId(cfg.id());
        this.cfg = cfg;
        this.state = state;
    }

    String name() {
        return cfg.name();
    }

    private record Decoded(StoredConfig cfg, HostOptions host) {
    }

    /** The typed HostConfig of the current config, decoded once per config (create, rename, update). */
    HostOptions host() {
        StoredConfig now = cfg;
        Decoded d = decoded;
        if (d == null || d.cfg() != now) {
            d = new Decoded(now, HostOptions.of(now.hostConfig()));
            decoded = d;
        }
        return d.host();
    }

    /** Completes at the next exit (or removal); a waiter that leaves first cancels it, which drops it. */
    synchronized CompletableFuture<Integer> nextExit() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        addWaiter(exitWaiters, f);
        return f;
    }

    /** The waiters of the next exit and of the removal, for tests. */
    synchronized int waiterCount() {
        return exitWaiters.size() + removeWaiters.size();
    }

    /** Caller holds this monitor. Adds {@code f} to {@code waiters}, from which its cancel (its waiter left) drops it. */
    private void addWaiter(List<CompletableFuture<Integer>> waiters, CompletableFuture<Integer> f) {
        waiters.add(f);
        f.whenComplete((code, e) -> {
            if (f.isCancelled()) {
                synchronized (this) {
                    waiters.remove(f);
                }
            }
        });
    }

    /** Completes at the removal; a waiter that leaves first cancels it, which drops it. */
    synchronized CompletableFuture<Integer> removal() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        if (removed) {
            f.complete(state.exitCode());
        } else {
            addWaiter(removeWaiters, f);
        }
        return f;
    }

    synchronized void exited(int code) {
        exitWaiters.forEach(f -> f.complete(code));
        exitWaiters.clear();
    }

    synchronized void markRemoved() {
        removed = true;
        int code = state.exitCode();
        exitWaiters.forEach(f -> f.complete(code));
        exitWaiters.clear();
        removeWaiters.forEach(f -> f.complete(code));
        removeWaiters.clear();
        pendingAttach.forEach(AttachSession::cancel);
        pendingAttach.clear();
    }

    /**
     * This run's attach hub, made by {@code make} when there is none yet (a container the daemon
     * found running at its start).
     */
    synchronized AttachHub attachHub(java.util.function.Supplier<AttachHub> make) {
        if (attachHub == null) {
            attachHub = make.get();
        }
        return attachHub;
    }

    /** A start's new hub; the previous run's, if still open, is shut down. */
    void replaceAttachHub(AttachHub hub) {
        AttachHub old;
        synchronized (this) {
            old = attachHub;
            attachHub = hub;
        }
        if (old != null) {
            old.shutdown();
        }
    }

    synchronized void addPendingAttach(AttachSession s) {
        pendingAttach.add(s);
    }

    synchronized void removePendingAttach(AttachSession s) {
        pendingAttach.remove(s);
    }

    synchronized List<AttachSession> takePendingAttach() {
        List<AttachSession> l = List.copyOf(pendingAttach);
        pendingAttach.clear();
        return l;
    }
}
