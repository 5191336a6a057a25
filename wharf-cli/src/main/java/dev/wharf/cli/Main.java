package dev.wharf.cli;

import dev.wharf.cli.command.Commands;
import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.GoTemplate;
import dev.wharf.cli.term.Terminal;
import dev.wharf.client.ApiException;
import dev.wharf.client.WharfClient;
import dev.wharf.client.WharfClientException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code wharf}: reads the global flags by hand, then builds picocli's model for the one
 * subcommand asked for (building all of them costs start-up time).
 */
public final class Main {

    static final String VERSION = "0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(args, out, err, System.in, new Terminal(), System.getenv());
        } finally {
            out.flush();
            err.flush();
        }
        // halt, not exit: nothing is left to clean up (raw mode is restored in finally blocks),
        // and Runtime.exit's logging costs a few milliseconds of start-up budget
        Runtime.getRuntime().halt(code);
    }

    /** Runs one command line and returns the exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err, java.io.InputStream in, Terminal terminal,
            Map<String, String> env) {
        Globals g = Globals.parse(args);
        if (g.error() != null) {
            return usage(err, g.error(), "wharf [OPTIONS] COMMAND", null);
        }
        if (g.version()) {
            out.println("Wharf version " + VERSION);
            return 0;
        }
        if (g.help() || g.next() >= args.length) {
            out.print(Commands.topLevelHelp());
            return 0;
        }
        int i = g.next();
        String host = g.host(env);
        String[] rest = Arrays.copyOfRange(args, i, args.length);
        Commands.Resolved resolved = Commands.resolve(rest);
        if (resolved == null) {
            err.println("wharf: unknown command: wharf " + rest[0]);
            err.println();
            err.println("Run 'wharf --help' for more information");
            return 1;
        }
        Cli cli = Cli.of(out, err, in, terminal, host, env);
        return execute(cli, resolved, out, err);
    }

    private static int execute(Cli cli, Commands.Resolved r, PrintStream out, PrintStream err) {
        Commands.Entry e = r.entry();
        WharfCommand cmd = e.factory().get();
        cmd.init(cli, e.name());
        try {
            if (!FlagParser.parse(cmd, r.args(), e.stopAtImage())) {
                // only --help pays for loading picocli
                Commands.commandLine(e.factory().get(), e).usage(out, picocli.CommandLine.Help.Ansi.OFF);
                return 0;
            }
        } catch (FlagParser.FlagError ex) {
            return usage(err, ex.getMessage(), e.synopsis(), e.name());
        }
        return call(cmd, e, out, err);
    }

    /**
     * A command line parsed for a daemon to run on behalf of wharf's launcher, or null when it must
     * run in the user's own JVM: its command reads local files or standard input or needs the
     * terminal ({@link WharfCommand#runsInDaemon}), it has flags this does not read, or it is
     * malformed (the user's JVM prints the usage). Nothing is sent to a daemon until it runs.
     */
    public static Delegated prepare(String[] args, PrintStream out, PrintStream err, Terminal terminal,
            Map<String, String> env) {
        return prepare(args, out, err, terminal, env, null);
    }

    /**
     * The same, for a daemon that serves API {@code serverApiVersion}: the command's client uses
     * the version it would negotiate, without asking for it with a ping first.
     */
    public static Delegated prepare(String[] args, PrintStream out, PrintStream err, Terminal terminal,
            Map<String, String> env, String serverApiVersion) {
        Globals g = Globals.parse(args);
        String config = env.get("DOCKER_CONFIG");
        if (g.error() != null || g.version() || g.help() || g.next() >= args.length
                || config != null && !config.isEmpty() && !config.startsWith("/")) {
            return null;
        }
        int i = g.next();
        String host = g.host(env);
        Commands.Resolved r = Commands.resolve(Arrays.copyOfRange(args, i, args.length));
        if (r == null) {
            return null;
        }
        Commands.Entry e = r.entry();
        WharfCommand cmd = e.factory().get();
        String version = serverApiVersion == null ? null : WharfClient.negotiated(serverApiVersion);
        cmd.init(new Cli(out, err, java.io.InputStream.nullInputStream(), terminal, host,
                () -> version == null ? WharfClient.connect(host) : WharfClient.connect(host, version), Instant::now,
                env), e.name());
        try {
            if (!FlagParser.parse(cmd, r.args(), e.stopAtImage()) || !cmd.runsInDaemon()) {
                return null;
            }
        } catch (FlagParser.FlagError ex) {
            return null;
        }
        return new Delegated(host, () -> call(cmd, e, out, err));
    }

    /** A command line ready to run against {@code host} (the one its flags and environment name). */
    public record Delegated(String host, java.util.function.IntSupplier command) {
        /** Runs it and returns its exit code. */
        public int run() {
            return command.getAsInt();
        }
    }

    private static int call(WharfCommand cmd, Commands.Entry e, PrintStream out, PrintStream err) {
        try {
            Integer code = cmd.call();
            return code == null ? 0 : code;
        } catch (FlagParser.FlagError ex) {
            return usage(err, ex.getMessage(), e.synopsis(), e.name());
        } catch (Cli.UsageError ex) {
            err.println("wharf: " + ex.getMessage());
            err.println();
            err.println("Usage:  " + e.synopsis());
            err.println();
            err.println("See 'wharf " + e.name() + " --help' for more information");
            return 1;
        } catch (Cli.Exit ex) {
            out.flush();
            if (ex.getMessage() != null) {
                err.println(ex.getMessage());
            }
            return ex.code();
        } catch (ApiException ex) {
            out.flush();
            err.println(EachArg.daemonError(ex));
            return 1;
        } catch (WharfClientException ex) {
            out.flush();
            err.println(ex.getMessage());
            return 1;
        } catch (GoTemplate.TemplateException ex) {
            out.flush();
            err.println("template parsing error: " + ex.getMessage());
            return 1;
        } catch (IllegalArgumentException ex) {
            out.flush();
            err.println(ex.getMessage());
            return 1;
        } catch (Exception ex) {
            out.flush();
            err.println("wharf: " + ex);
            return 1;
        }
    }

    /**
     * The global flags before the subcommand: the host they name, where the subcommand starts, or
     * what to do instead (a usage error, --version, --help). Like docker's, --config, --context and
     * --log-level are read and have no effect here.
     */
    private record Globals(String flagHost, int next, String error, boolean version, boolean help) {

        static Globals parse(String[] args) {
            String host = null;
            int i = 0;
            for (; i < args.length && args[i].startsWith("-") && !args[i].equals("-"); i++) {
                String a = args[i];
                switch (a) {
                    case "-H", "--host" -> {
                        if (++i >= args.length) {
                            return new Globals(host, i, "flag needs an argument: " + a, false, false);
                        }
                        host = args[i];
                    }
                    case "-D", "--debug" -> {
                        // accepted for docker compatibility
                    }
                    case "-l", "--log-level", "--config", "-c", "--context" -> i++;
                    case "-v", "--version" -> {
                        return new Globals(host, i, null, true, false);
                    }
                    case "--help", "-h" -> {
                        return new Globals(host, i, null, false, true);
                    }
                    default -> {
                        if (a.startsWith("--host=")) {
                            host = a.substring("--host=".length());
                        } else if (a.startsWith("-H") && a.length() > 2) {
                            host = a.substring(2);
                        } else if (!a.startsWith("--log-level=") && !a.startsWith("--config=")
                                && !a.startsWith("--context=")) {
                            return new Globals(host, i, "unknown flag: " + a, false, false);
                        }
                    }
                }
            }
            return new Globals(host, i, null, false, false);
        }

        /** The daemon's address: the flag's, else WHARF_HOST, else DOCKER_HOST, else the default socket. */
        String host(Map<String, String> env) {
            for (String h : new String[] {flagHost, env.get("WHARF_HOST"), env.get("DOCKER_HOST")}) {
                if (h != null && !h.isBlank()) {
                    return h;
                }
            }
            return "unix:///run/wharf/wharf.sock";
        }
    }

    private static int usage(PrintStream err, String msg, String synopsis, String name) {
        err.println(msg);
        err.println();
        err.println("Usage:  " + synopsis);
        err.println();
        err.println(name == null ? "Run 'wharf --help' for more information"
                : "Run 'wharf " + name + " --help' for more information");
        return 125;
    }
}
