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
 * A hijacked attach wired to the local stdio: output (demuxed unless TTY) to stdout/stderr,
 * stdin piped in and half-closed at EOF (or at once when stdin is not attached), Ctrl-C and
 * SIGTERM proxied as kill requests when there is no TTY.
 */
final class StreamSession implements AutoCloseable {

    private final Cli cli;
    private final String id;
    private final boolean tty;
    private final HijackedStream stream;
    private Terminal.RawMode raw;

    private StreamSession(Cli cli, String id, boolean tty, HijackedStream stream) {
        this.cli = cli;
        this.id = id;
        this.tty = tty;
        this.stream = stream;
    }

    /** Attaches and starts pumping stdin (or half-closes) right away: stdin may precede start. */
    static StreamSession attach(Cli cli, String id, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        HijackedStream s = cli.client().containers().attach(id, new AttachOptions(stdin, stdout, stderr, true, false,
                null));
        StreamSession session = new StreamSession(cli, id, tty, s);
        session.pumpStdin(stdin);
        return session;
    }

    private void pumpStdin(boolean stdin) {
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
                    }
                }
            } catch (IOException e) {
                // the container went away; output handling reports what matters
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
                cli.client().containers().resize(id, new ContainersApi.ResizeOptions(size[0], size[1]));
            } catch (WharfClientException e) {
                // docker ignores a failed initial resize
            }
        }
    }

    /** Forwards INT and TERM to the container as kill requests (docker's --sig-proxy). */
    void proxySignals() {
        if (tty) {
            return;
        }
        for (String sig : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                    try {
                        cli.client().containers().kill(id, new ContainersApi.KillOptions(sig));
                    } catch (WharfClientException e) {
                        // the container may be gone already
                    }
                });
            } catch (IllegalArgumentException e) {
                // signal not available here
            }
        }
    }

    /** Copies the output until the daemon ends the stream. */
    void copyOutput() {
        try {
            StreamDemux.copy(stream.input(), tty, OutputSink.of(cli.out(), cli.err()));
        } catch (IOException e) {
            // the connection broke: the wait result tells how the container ended
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
