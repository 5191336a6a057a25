package dev.wharf.engine.container;

import dev.wharf.base.error.InternalException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signals containers and waits for their exits: the stop signal, then SIGKILL after the timeout,
 * as {@code docker stop} does. Exits arrive through the exit files ({@link ExitHandler}); when a
 * container's monitor died without writing one, this class writes it for the monitor, so the
 * exit takes the one usual path.
 */
final class Stopper {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final ContainerRuntime runtime;

    Stopper(ContainerRegistry registry, ContainerRuntime runtime) {
        this.registry = registry;
        this.runtime = runtime;
    }

    /**
     * Sends {@code sig}; after {@code timeoutSeconds} (negative: never) SIGKILL; returns once it
     * exited. A {@code sig} of SIGKILL (a forced removal) goes to every process of the container at
     * once and is not sent a second time: one kill event, as Docker's, and no second signal (which
     * found the init gone and took a {@code runc kill --all} process to do nothing).
     */
    void stopAndWait(Container c, int sig, int timeoutSeconds) {
        CompletableFuture<Integer> exit = c.nextExit();
        if (!c.state.running()) {
            return;
        }
        boolean killed = sig == 9;
        try {
            registry.publish(c, "kill", Map.of("signal", String.valueOf(sig)));
            runtime.kill(c.id, sig, killed);
            thawIfPaused(c);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stop signal failed: " + e.getMessage());
        }
        if (await(exit, timeoutSeconds < 0 ? Long.MAX_VALUE : timeoutSeconds * 1000L)) {
            return;
        }
        if (!killed) {
            try {
                registry.publish(c, "kill", Map.of("signal", "9"));
                runtime.kill(c.id, 9, true);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SIGKILL failed: " + e.getMessage());
            }
        }
        for (int i = 0; i < 30 && !await(exit, 1_000); i++) {
            // a monitor that died without writing the exit file reports nothing: do it for it
            if (c.state.conmonPid() > 0 && !runtime.conmonAlive(c.state.conmonPid())) {
                reportLostMonitor(c, 137);
            }
        }
        if (!exit.isDone()) {
            throw new InternalException("container " + c.id + " did not exit after SIGKILL");
        }
    }

    /**
     * A frozen process cannot handle a signal: as moby does, thaw a paused container after
     * signalling it. Under the lock, so that an exit the thaw lets happen is recorded after the
     * container is marked running, never overwritten by it.
     */
    void thawIfPaused(Container c) {
        c.lock.lock();
        try {
            if (c.state.is(ContainerStatus.PAUSED)) {
                runtime.resume(c.id);
                registry.setState(c, c.state.withStatus(ContainerStatus.RUNNING));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "resume after signal failed: " + e.getMessage());
        } finally {
            c.lock.unlock();
        }
    }

    /** Writes the exit file a dead monitor did not write; the exit watcher then reports the exit. */
    void reportLostMonitor(Container c, int code) {
        Path file = registry.paths().exitFile(c.id);
        if (Files.exists(file)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "container " + c.id + " lost its monitor; marking it exited");
        try {
            AtomicFiles.write(file, String.valueOf(code).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the exit file of " + c.id + ": " + e.getMessage());
        }
    }

    /** Whether {@code f} completed within {@code millis}. */
    static boolean await(CompletableFuture<Integer> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
