package dev.wharf.engine.container;

import dev.wharf.runtime.AttachSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One client attached to a container's streams: copies conmon's output frames to the client
 * (multiplexed unless the container has a TTY) and the client's stdin to conmon. A session opened
 * before start waits for the socket, which the start connects before {@code runc start}, so no
 * output is lost. With a TTY, the detach keys in the client's stdin end the session and leave the
 * container running, as moby's {@code copyEscapable}; without one they are plain input, as there.
 */
final class AttachSession {

    private volatile InputStream clientIn;
    private volatile OutputStream clientOut;
    private final boolean raw;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final boolean stdinOnce;
    private final CompletableFuture<AttachSocket> socket = new CompletableFuture<>();
    private final Path log;
    private volatile long logOffset;
    private final DetachKeys.Matcher detach;
    private volatile boolean detached;

    /**
     * With {@code log} set, a session that got no output at all from conmon's attach socket replays
     * the log from the moment of {@link #connect}: conmon drops what it reads before it has accepted
     * the connection, which can be a short-lived container's whole output.
     */
    AttachSession(InputStream clientIn, OutputStream clientOut, boolean tty, boolean stdin, boolean stdout,
            boolean stderr, boolean stdinOnce, Path log) {
        this(clientIn, clientOut, tty, stdin, stdout, stderr, stdinOnce, log, DetachKeys.DEFAULT, tty);
    }

    /**
     * {@code detachKeys}: the sequence that detaches (with a TTY); see {@link DetachKeys#parse}.
     * {@code raw}: output without stream headers (callers pass true with a TTY).
     */
    AttachSession(InputStream clientIn, OutputStream clientOut, boolean tty, boolean stdin, boolean stdout,
            boolean stderr, boolean stdinOnce, Path log, byte[] detachKeys, boolean raw) {
        this.detach = tty && detachKeys != null && detachKeys.length > 0 ? new DetachKeys.Matcher(detachKeys) : null;
        this.log = log;
        this.clientIn = clientIn;
        this.clientOut = clientOut;
        this.raw = raw;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdinOnce = stdinOnce;
    }

    private volatile int conmonPid;

    /** The client's streams, known once the connection is upgraded (after the session is registered). */
    void bind(InputStream in, OutputStream out) {
        this.clientIn = in;
        this.clientOut = out;
    }

    /** Called before the container's process starts (or now, for a running one). */
    void connect(AttachSocket s, int conmonPid) {
        this.conmonPid = conmonPid;
        if (log != null) {
            try {
                logOffset = Files.exists(log) ? Files.size(log) : 0;
            } catch (IOException e) {
                logOffset = 0;
            }
        }
        if (!socket.complete(s)) {
            s.close(); // abandoned before the start connected it
        }
    }

    void cancel() {
        socket.complete(null);
    }

    /**
     * Ends a session that never ran because its client was not upgraded (gone, or a bad request):
     * ends its subscription if a start connected it, so the container's output does not wait for
     * a reader that will never come.
     */
    void abandon() {
        cancel();
        AttachSocket s = socket.getNow(null);
        if (s != null) {
            s.close();
        }
    }

    /** Whether the client left with the detach keys (the container runs on). */
    boolean detached() {
        return detached;
    }

    /** Runs the session until the container's output ends or the client detaches; blocks the calling (virtual) thread. */
    void run() throws IOException {
        if (stdin) {
            Thread.ofVirtual().name("attach-stdin").start(this::pumpStdin);
        }
        AttachSocket s = socket.join();
        if (s == null) {
            return;
        }
        boolean any = false;
        try (s) {
            AttachSocket.Frame f;
            while ((f = s.read()) != null) {
                any = true;
                if (f.stream() == 2 ? !stderr : !stdout) {
                    continue;
                }
                StreamFrames.write(clientOut, raw, f.stream(), f.data(), f.data().length);
                clientOut.flush();
            }
        } catch (IOException e) {
            if (!detached) {
                throw e;
            }
        }
        if (detached) {
            return;
        }
        if (!any && log != null) {
            // conmon drops output sent before it accepted our connection: a short-lived container's
            // whole output can go missing that way. The log has it; conmon wrote it before closing.
            LogStreamer.replayFrom(log, logOffset, stdout, stderr, clientOut, raw);
        }
    }

    private void pumpStdin() {
        byte[] buf = new byte[8192];
        try {
            int n = clientIn.read(buf);
            AttachSocket s = socket.join();
            if (s == null) {
                return;
            }
            while (n >= 0) {
                byte[] pass = detach == null ? null : detach.filter(buf, n);
                if (pass != null) {
                    if (pass.length > 0) {
                        s.writeStdin(pass, 0, pass.length);
                    }
                    if (detach.detached()) {
                        // Leave the container be: only this client's subscription ends, which also
                        // wakes the output loop. Its stdin stays open (a TTY's always does).
                        detached = true;
                        s.close();
                        return;
                    }
                } else if (n > 0) {
                    s.writeStdin(buf, 0, n);
                }
                n = clientIn.read(buf);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or the container ended: nothing more to copy.
        }
        // As Docker: with StdinOnce, the container's stdin ends with the client's, however the
        // client's ended (EOF, or its connection dropped).
        AttachSocket s = socket.getNow(null);
        if (stdinOnce && !detached && s != null) {
            try {
                s.closeStdin();
            } catch (IOException | RuntimeException e) {
                // the container's output has ended: its stdin with it
            }
        }
    }
}
