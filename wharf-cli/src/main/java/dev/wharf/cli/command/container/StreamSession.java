package dev.wharf.cli.command.container;

import dev.wharf.cli.Cli;
import dev.wharf.cli.term.Terminal;
import dev.wharf.client.ContainersApi;
import dev.wharf.client.ContainersApi.AttachOptions;
import dev.wharf.client.OutputSink;
import dev.wharf.client.StreamDemux;
import dev.wharf.client.WharfClientException;
import dev.wharf.client.transport.HijackedStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A hijacked attach or exec wired to the local stdio: output (demuxed unless TTY) to
 * stdout/stderr, stdin piped in and half-closed at EOF (or at once when stdin is not attached),
 * the terminal's size passed on, and for a container Ctrl-C and SIGTERM proxied as kill requests
 * when there is no TTY.
 */
final class StreamSession implements AutoCloseable {

    /** Tells the daemon the terminal's size. */
    private interface Resizer {
        void resize(int rows, int cols);
    }

    private final Cli cli;
    private final String containerId; // null for an exec
    private final Resizer resizer;
    private final boolean tty;
    private final HijackedStream stream;
    private Terminal.RawMode raw;

    private StreamSession(Cli cli, String containerId, Resizer resizer, boolean tty, HijackedStream stream) {
        this.cli = cli;
        this.containerId = containerId;
        this.resizer = resizer;
        this.tty = tty;
        this.stream = stream;
    }

    /** Attaches and starts pumping stdin (or half-closes) right away: stdin may precede start. */
    static StreamSession attach(Cli cli, String id, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        HijackedStream s = cli.client().containers().attach(id, new AttachOptions(stdin, stdout, stderr, true, false,
                null));
        StreamSession session = new StreamSession(cli, id,
                (rows, cols) -> cli.client().containers().resize(id, new ContainersApi.ResizeOptions(rows, cols)), tty, s);
        session.pumpStdin(stdin);
        return session;
    }

    /** Starts exec {@code execId} with its streams hijacked; the caller pumps stdin when ready. */
    static StreamSession exec(Cli cli, String execId, boolean tty) {
        return new StreamSession(cli, null, (rows, cols) -> cli.client().exec().resize(execId, rows, cols), tty,
                cli.client().exec().start(execId, tty));
    }

    /** Copies local stdin in on a thread of its own, then half-closes; without stdin, half-closes now. */
    void pumpStdin(boolean stdin) {
        if (!stdin) {
            closeWrite();
            return;
        }
        Thread t = new Thread(() -> {
            InputStream in = cli.in();
            OutputStream out = stream.output();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the process went away; output handling reports what matters
            }
            closeWrite();
        }, "wharf-stdin");
        t.setDaemon(true);
        t.start();
    }

    private void closeWrite() {
        try {
            stream.closeWrite();
        } catch (IOException e) {
            // already closed
        }
    }

    /** With a local terminal: raw mode (when stdin is attached) and the initial resize. */
    void setUpTerminal(boolean stdin) {
        if (!tty || !cli.terminal().isInteractive()) {
            return;
        }
        if (stdin) {
            raw = cli.terminal().raw();
        }
    }

    void resize() {
        if (!tty || !cli.terminal().isInteractive()) {
            return;
        }
        int[] size = cli.terminal().size();
        if (size != null) {
            try {
                resizer.resize(size[0], size[1]);
            } catch (WharfClientException e) {
                // docker ignores a failed initial resize
            }
        }
    }

    /** Forwards INT and TERM to the container as kill requests (docker's --sig-proxy). */
    void proxySignals() {
        if (tty || containerId == null) {
            return;
        }
        for (String sig : List.of("INT", "TERM")) {
            cli.terminal().onSignal(sig, () -> {
                try {
                    cli.client().containers().kill(containerId, new ContainersApi.KillOptions(sig));
                } catch (WharfClientException e) {
                    // the container may be gone already
                }
            });
        }
    }

    /** Copies the output until the daemon ends the stream. */
    void copyOutput() {
        try {
            StreamDemux.copy(stream.input(), tty, OutputSink.of(cli.out(), cli.err()));
        } catch (IOException e) {
            // the connection broke: the wait (or exec inspect) result tells how the process ended
        } finally {
            cli.out().flush();
        }
    }

    @Override
    public void close() {
        if (raw != null) {
            raw.close();
            raw = null;
        }
        try {
            stream.close();
        } catch (IOException e) {
            // closing
        }
    }
}
