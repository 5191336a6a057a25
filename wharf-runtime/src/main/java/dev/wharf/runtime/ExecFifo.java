package dev.wharf.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code runc start} does for a created container, without starting a runc process: runc's
 * init waits in the container, blocked opening {@code <root>/<id>/exec.fifo} for writing, and
 * execs the user's process once a reader has opened the FIFO and read the byte it writes. The
 * FIFO is removed after, which is how runc tells a created container from a running one.
 *
 * <p>runc itself guards its blocking open by checking every 100 ms that the init is still alive
 * (an init killed before it opened its end would leave the reader blocked forever); so does this.
 */
final class ExecFifo {

    private static final long GUARD_MILLIS = 100;

    private ExecFifo() {
    }

    /** The FIFO of a container in the created state, or null when runc has none (running, stopped). */
    static Path of(Path runcRoot, String id) {
        Path fifo = runcRoot.resolve(id).resolve("exec.fifo");
        return Files.exists(fifo) ? fifo : null;
    }

    /**
     * Lets the container's init exec the process; returns once it has.
     *
     * @throws RuntimeCommandException as runc's start: the init died, or another start won
     */
    static void release(Path fifo, int initPid) {
        if (!Thread.currentThread().isVirtual()) {
            handshake(fifo, initPid);
            return;
        }
        // opening a FIFO blocks in open(2), which pins a virtual thread's carrier without
        // compensation: the handshake runs on a platform thread while this one waits unmounted
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon().name("exec-fifo").start(() -> {
            try {
                handshake(fifo, initPid);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCommandException("interrupted while starting the container", 1);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void handshake(Path fifo, int initPid) {
        AtomicBoolean opened = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        guard(fifo, initPid, opened, done);
        byte[] data;
        try (InputStream in = Files.newInputStream(fifo)) { // blocks until the init opens its end
            opened.set(true);
            data = in.readAllBytes(); // the init's byte, then end of file when it execs (close-on-exec)
        } catch (NoSuchFileException e) {
            throw new RuntimeCommandException("cannot start a container that has stopped", 1);
        } catch (IOException e) {
            throw new RuntimeCommandException("cannot start the container: " + e.getMessage(), 1);
        } finally {
            done.set(true);
        }
        if (data.length == 0) {
            throw new RuntimeCommandException(alive(initPid) ? "cannot start an already running container"
                    : "container process is already dead", 1);
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new RuntimeCommandException("cannot remove " + fifo + ": " + e.getMessage(), 1);
        }
    }

    /**
     * Every 100 ms until the open returns: if the init is gone, opens the FIFO for writing and
     * closes it, which ends the blocked open with no data.
     */
    private static void guard(Path fifo, int initPid, AtomicBoolean opened, AtomicBoolean done) {
        CompletableFuture.runAsync(() -> {
            if (opened.get() || done.get()) {
                return;
            }
            if (alive(initPid)) {
                guard(fifo, initPid, opened, done);
                return;
            }
            // read-write never blocks on a FIFO; opening it as a writer wakes the blocked reader
            try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // closed at once: the reader's next read is the end of file
            } catch (IOException e) {
                // the FIFO is gone: the blocked open has failed or returned already
            }
        }, CompletableFuture.delayedExecutor(GUARD_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** Whether the process exists and is not a zombie. */
    static boolean alive(int pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
