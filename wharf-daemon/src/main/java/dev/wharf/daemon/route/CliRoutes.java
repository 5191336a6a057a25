package dev.wharf.daemon.route;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.cli.Main;
import dev.wharf.cli.term.Terminal;
import dev.wharf.daemon.http.ApiVersion;
import dev.wharf.daemon.http.Exchange;
import dev.wharf.daemon.http.Hijack;
import dev.wharf.daemon.http.Router;
import dev.wharf.engine.container.StreamFrames;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@code wharf} command line for wharf's launcher ({@code wharf-cli/src/main/c/wharf-launch.c}),
 * in this JVM, which is already started and warm: {@code wharf ps} then costs a few milliseconds
 * instead of a JVM's start-up. Only lines that read no local file or standard input and need no
 * terminal are run here ({@link Main#prepare}); the launcher runs every other line, and every line
 * when no daemon takes it, in a JVM of its own. The command is the same code as in that JVM, and it
 * drives this daemon through its own socket, as any client does.
 * <pre>
 *   POST /_wharf/cli    409 when the line must run in the user's own JVM; otherwise hijacked
 * </pre>
 * The body is NUL-terminated strings: the protocol ("1"), which of the launcher's standard input
 * and output are terminals ("", "i", "o" or "io"), the number of arguments, the arguments, then the
 * launcher's environment as NAME=VALUE. The stream back is docker's multiplexed framing: 1 standard
 * output, 2 standard error, and a last frame 3 holding the exit code (4 bytes, big-endian). The
 * launcher sends one byte per signal it receives (2 INT, 15 TERM): a command that handles it (the
 * --sig-proxy of an attached run) gets it; otherwise a frame 4 holding the signal's number tells the
 * launcher to end by it, as the CLI's own JVM would. When the launcher goes away the command is
 * interrupted.
 */
public final class CliRoutes {

    private static final String STREAM = "application/vnd.wharf.cli-stream";

    private final Set<String> hosts;

    /** {@code hosts}: this daemon's own unix:// addresses, the only ones a command run here may use. */
    public CliRoutes(Set<String> hosts) {
        this.hosts = Set.copyOf(hosts);
    }

    public void register(Router r) {
        r.add("POST", "/_wharf/cli", this::run);
    }

    /** A parsed request body. */
    record Request(boolean stdinTty, boolean stdoutTty, String[] args, Map<String, String> env) {

        static Request parse(byte[] body) {
            List<String> f = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < body.length; i++) {
                if (body[i] == 0) {
                    f.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start != body.length || f.size() < 3 || !f.get(0).equals("1")) {
                throw new InvalidArgumentException("malformed wharf command line");
            }
            int n;
            try {
                n = Integer.parseInt(f.get(2));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || 3 + n > f.size()) {
                throw new InvalidArgumentException("malformed wharf command line");
            }
            Map<String, String> env = new HashMap<>();
            for (String e : f.subList(3 + n, f.size())) {
                int eq = e.indexOf('=');
                if (eq > 0) {
                    env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
                }
            }
            return new Request(f.get(1).contains("i"), f.get(1).contains("o"),
                    f.subList(3, 3 + n).toArray(String[]::new), Map.copyOf(env));
        }
    }

    private void run(Exchange ex) throws IOException {
        Request req = Request.parse(ex.body().readAllBytes());
        Frames frames = new Frames();
        PrintStream out = new PrintStream(new BufferedOutputStream(frames.stream(1), 1 << 16), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(frames.stream(2), true, StandardCharsets.UTF_8);
        LauncherTerminal terminal = new LauncherTerminal(req.stdinTty(), req.stdoutTty());
        Main.Delegated line = Main.prepare(req.args(), out, err, terminal, req.env(), ApiVersion.CURRENT.toString());
        if (line == null || !hosts.contains(line.host())) {
            ex.respondJson(409, Map.of("message", "this command line runs in the client"));
            return;
        }
        try (Hijack h = ex.hijack(STREAM)) {
            frames.connect(h.out());
            Thread command = Thread.currentThread();
            AtomicBoolean done = new AtomicBoolean();
            Thread.ofVirtual().name("wharf-cli-signals").start(() -> {
                try {
                    InputStream in = h.in();
                    for (int b; (b = in.read()) >= 0; ) {
                        if (!terminal.signal(b)) {
                            frames.signal(b);
                        }
                    }
                } catch (IOException e) {
                    // the launcher is gone
                }
                if (!done.get()) {
                    command.interrupt();
                }
            });
            int code;
            try {
                code = line.run();
            } finally {
                done.set(true);
                out.flush();
            }
            Thread.interrupted();
            frames.exit(code);
        }
    }

    /** The multiplexed stream back to the launcher; nothing is sent before {@link #connect}. */
    static final class Frames {
        private OutputStream target;

        synchronized void connect(OutputStream out) {
            this.target = out;
        }

        OutputStream stream(int kind) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        frame(kind, b, off, len);
                    }
                }
            };
        }

        /** Tells the launcher to take a signal the command does not handle as its own: it ends by it. */
        void signal(int number) {
            try {
                frame(4, new byte[] {(byte) number}, 0, 1);
            } catch (IOException e) {
                // the launcher is gone
            }
        }

        void exit(int code) {
            try {
                frame(3, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code},
                        0, 4);
            } catch (IOException e) {
                // the launcher is gone
            }
        }

        private synchronized void frame(int kind, byte[] b, int off, int len) throws IOException {
            if (target == null) {
                throw new IOException("no launcher connected");
            }
            // header and chunk in one write: the hijacked connection flushes each write
            byte[] all = new byte[8 + len];
            System.arraycopy(StreamFrames.header(kind, len), 0, all, 0, 8);
            System.arraycopy(b, off, all, 8, len);
            target.write(all);
        }
    }

    /**
     * The launcher's terminal as far as a command run here needs it: whether its streams are
     * terminals, and the signals it forwards. Lines that need more (raw mode, the size) are not run here.
     */
    static final class LauncherTerminal extends Terminal {
        private final boolean stdinTty;
        private final boolean stdoutTty;
        private final Map<Integer, Runnable> handlers = new ConcurrentHashMap<>();

        LauncherTerminal(boolean stdinTty, boolean stdoutTty) {
            this.stdinTty = stdinTty;
            this.stdoutTty = stdoutTty;
        }

        @Override
        public boolean isInteractive() {
            return stdinTty && stdoutTty;
        }

        @Override
        public boolean stdinIsTerminal() {
            return stdinTty;
        }

        @Override
        public int[] size() {
            return null;
        }

        @Override
        public RawMode raw() {
            return () -> { };
        }

        @Override
        public void onSignal(String sig, Runnable handler) {
            switch (sig) {
                case "INT" -> handlers.put(2, handler);
                case "TERM" -> handlers.put(15, handler);
                default -> {
                    // the launcher forwards only these
                }
            }
        }

        /** Runs the command's handler of a forwarded signal; false when it has none. */
        boolean signal(int number) {
            Runnable h = handlers.get(number);
            if (h == null) {
                return false;
            }
            h.run();
            return true;
        }
    }
}
