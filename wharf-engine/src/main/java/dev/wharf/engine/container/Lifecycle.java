package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.runtime.ContainerRuntime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The verbs that move a container between its statuses: start, stop, kill, restart, pause,
 * unpause, and the terminal's resize. Each finds the container and takes its lock where it
 * changes state; it never holds the lock while it waits for an exit.
 */
final class Lifecycle {

    private final ContainerRegistry registry;
    private final Launcher launcher;
    private final Stopper stopper;
    private final RestartScheduler restarts;
    private final ContainerRuntime runtime;

    Lifecycle(ContainerRegistry registry, Launcher launcher, Stopper stopper, RestartScheduler restarts,
            ContainerRuntime runtime) {
        this.registry = registry;
        this.launcher = launcher;
        this.stopper = stopper;
        this.restarts = restarts;
        this.runtime = runtime;
    }

    void start(String idOrName) {
        Container c = registry.find(idOrName);
        c.lock.lock();
        try {
            if (c.state.running()) {
                throw new NotModifiedException("container already started");
            }
            if (c.state.is(ContainerStatus.REMOVING)) {
                throw new ConflictException("container is marked for removal and cannot be started");
            }
            restarts.reset(c.id);
            registry.setState(c, c.state.withRestartCount(0).withManuallyStopped(false));
            launcher.startLocked(c);
        } finally {
            c.lock.unlock();
        }
    }

    void stop(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = registry.find(idOrName);
        if (restarts.cancelRestart(c, true)) {
            registry.publish(c, "stop");
            return;
        }
        if (!c.state.running()) {
            throw new NotModifiedException("container already stopped");
        }
        stopper.stopAndWait(c, stopSignal(c, signal), stopTimeout(c, timeoutSeconds));
        registry.publish(c, "stop");
    }

    void kill(String idOrName, String signal) {
        Container c = registry.find(idOrName);
        int sig = Signals.parse(signal, 9);
        boolean final_ = sig == 9 || sig == Signals.parse(c.cfg.config().stopSignal(), 15);
        if (restarts.cancelRestart(c, final_) && c.state.is(ContainerStatus.EXITED)) {
            return;
        }
        if (!c.state.running()) {
            throw notRunning(c);
        }
        CompletableFuture<Integer> exit = c.nextExit();
        registry.publish(c, "kill", Map.of("signal", String.valueOf(sig)));
        runtime.kill(c.id, sig, sig == 9);
        stopper.thawIfPaused(c);
        if (sig == 9) {
            Stopper.await(exit, 5_000);
        }
    }

    void restart(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = registry.find(idOrName);
        restarts.cancelRestart(c, true);
        if (c.state.running()) { // Docker's events: kill, die, stop, start, restart
            stopper.stopAndWait(c, stopSignal(c, signal), stopTimeout(c, timeoutSeconds));
            registry.publish(c, "stop");
        }
        c.lock.lock();
        try {
            if (!c.state.running()) {
                restarts.reset(c.id);
                registry.setState(c, c.state.withRestartCount(0).withManuallyStopped(false));
                launcher.startLocked(c);
            }
        } finally {
            c.lock.unlock();
        }
        registry.publish(c, "restart");
    }

    /** Freezes every process of the container (cgroup freezer). */
    void pause(String idOrName) {
        Container c = registry.find(idOrName);
        c.lock.lock();
        try {
            if (!c.state.running()) {
                throw notRunning(c);
            }
            if (c.state.is(ContainerStatus.PAUSED)) {
                throw new ConflictException("Container " + c.id + " is already paused");
            }
            runtime.pause(c.id);
            registry.setState(c, c.state.withStatus(ContainerStatus.PAUSED));
            registry.publish(c, "pause");
        } finally {
            c.lock.unlock();
        }
    }

    void unpause(String idOrName) {
        Container c = registry.find(idOrName);
        c.lock.lock();
        try {
            if (!c.state.is(ContainerStatus.PAUSED)) {
                throw new ConflictException("Container " + c.id + " is not paused");
            }
            runtime.resume(c.id);
            registry.setState(c, c.state.withStatus(ContainerStatus.RUNNING));
            registry.publish(c, "unpause");
        } finally {
            c.lock.unlock();
        }
    }

    void resize(String idOrName, int height, int width) {
        Container c = registry.find(idOrName);
        if (!c.state.running()) {
            throw notRunning(c);
        }
        if (c.cfg.config().tty()) {
            runtime.resize(registry.paths().bundle(c.id), height, width);
        }
    }

    static ConflictException notRunning(Container c) {
        return new ConflictException("Container " + c.id + " is not running");
    }

    /** The signal asked for, else the container's StopSignal, else SIGTERM. */
    private static int stopSignal(Container c, String signal) {
        return Signals.parse(signal, Signals.parse(c.cfg.config().stopSignal(), 15));
    }

    /** The timeout asked for, else the container's StopTimeout, else 10 s. */
    private static int stopTimeout(Container c, Integer timeoutSeconds) {
        return timeoutSeconds != null ? timeoutSeconds
                : c.cfg.config().stopTimeout() != null ? c.cfg.config().stopTimeout() : 10;
    }
}
