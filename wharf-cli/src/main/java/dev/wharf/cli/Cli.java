package dev.wharf.cli;

import dev.wharf.cli.term.Terminal;
import dev.wharf.client.WharfClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a command runs with: its streams, the terminal, the clock and a client made on first use
 * (so {@code --help} and usage errors never touch the socket).
 */
public final class Cli {

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Terminal terminal;
    private final String host;
    private final Supplier<WharfClient> clientFactory;
    private final Supplier<Instant> clock;
    private final Map<String, String> env;
    private WharfClient client;

    public Cli(PrintStream out, PrintStream err, InputStream in, Terminal terminal, String host,
            Supplier<WharfClient> clientFactory, Supplier<Instant> clock) {
        this(out, err, in, terminal, host, clientFactory, clock, System.getenv());
    }

    public Cli(PrintStream out, PrintStream err, InputStream in, Terminal terminal, String host,
            Supplier<WharfClient> clientFactory, Supplier<Instant> clock, Map<String, String> env) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.in = in;
        this.terminal = terminal;
        this.host = host;
        this.clientFactory = clientFactory;
        this.clock = clock;
    }

    /** The usual wiring: a client for {@code host}. */
    public static Cli of(PrintStream out, PrintStream err, InputStream in, Terminal terminal, String host,
            Map<String, String> env) {
        return new Cli(out, err, in, terminal, host, () -> WharfClient.connect(host), Instant::now, env);
    }

    /** The environment of the user's process ({@code -e NAME}, {@code DOCKER_CONFIG}), not this JVM's own. */
    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Terminal terminal() {
        return terminal;
    }

    public String host() {
        return host;
    }

    public Instant now() {
        return clock.get();
    }

    public synchronized WharfClient client() {
        if (client == null) {
            client = clientFactory.get();
        }
        return client;
    }

    /** Ends the command with an exit code, after printing the message (if any) on stderr. */
    public static final class Exit extends RuntimeException {
        private final int code;

        public Exit(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Wrong number of arguments: docker's "requires at least 1 argument" message, exit 1. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
