package dev.wharf.engine.exec;

import dev.wharf.base.id.ContainerId;
import dev.wharf.model.exec.ExecCreateRequest;
import dev.wharf.runtime.ExecHandle;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** One exec instance: what it runs, and its state from created to exited. */
final class ExecSession {

    final String id;
    final ContainerId containerId;
    final ExecCreateRequest req;
    final Path bundle;
    final long createdNanos = System.nanoTime();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    volatile boolean started;
    volatile boolean running;
    volatile Integer exitCode;
    volatile int pid;
    /** True while an attached client's streams are being copied (the client's leaving kills the process). */
    volatile boolean copying;
    /** Set when the attached client's connection closed, perhaps before the copying began. */
    volatile boolean clientLeft;
    volatile ExecHandle conmon;

    ExecSession(String id, ContainerId containerId, ExecCreateRequest req, Path bundle) {
        this.id = id;
        this.containerId = containerId;
        this.req = req;
        this.bundle = bundle;
    }

    /** Caller records the exit before anyone who reads {@code /exec/{id}/json} can see the stream end. */
    synchronized void exited(int code) {
        exitCode = code;
        running = false;
        exit.complete(code);
    }

    synchronized boolean markStarted() {
        if (started) {
            return false;
        }
        started = true;
        return true;
    }

    String commandLine() {
        return String.join(" ", req.cmd());
    }
}
