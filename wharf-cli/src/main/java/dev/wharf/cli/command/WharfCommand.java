package dev.wharf.cli.command;

import dev.wharf.cli.Cli;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** Base of every subcommand: the shared {@code --help} flag and docker's argument-count checks. */
public abstract class WharfCommand implements Callable<Integer> {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    protected Cli cli;
    private String name;

    public void init(Cli cli, String name) {
        this.cli = cli;
        this.name = name;
    }

    /**
     * The commands a daemon may run for wharf's launcher (dev.wharf.cli.Main#prepare): none reads a
     * local file or standard input, draws on the terminal or prompts. Run, create, start and exec
     * narrow it further by their flags.
     */
    private static final Set<String> DAEMON_SAFE = Set.of("ps", "images", "version", "info", "inspect", "kill",
            "restart", "rm", "rmi", "stop", "tag", "history", "port", "pause", "unpause", "top", "rename", "wait",
            "logs", "diff", "system df", "commit", "update", "run", "create", "start", "exec", "volume create",
            "volume ls", "volume inspect", "volume rm", "network create", "network ls", "network inspect",
            "network rm", "network connect", "network disconnect");

    protected String name() {
        return name;
    }

    /** Whether this command line, parsed, may run in the daemon rather than in the user's own JVM. */
    public boolean runsInDaemon() {
        return DAEMON_SAFE.contains(name);
    }

    protected static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    protected void requireNone(List<String> args) {
        if (!orEmpty(args).isEmpty()) {
            throw new Cli.UsageError("'wharf " + name + "' accepts no arguments");
        }
    }

    protected void requireAtLeast(List<String> args, int n) {
        if (orEmpty(args).size() < n) {
            throw new Cli.UsageError("'wharf " + name + "' requires at least " + n + " argument" + (n == 1 ? "" : "s"));
        }
    }

    protected void requireExactly(List<String> args, int n) {
        if (orEmpty(args).size() != n) {
            throw new Cli.UsageError("'wharf " + name + "' requires exactly " + n + " argument" + (n == 1 ? "" : "s"));
        }
    }

    protected void requireBetween(List<String> args, int min, int max) {
        int s = orEmpty(args).size();
        if (s < min || s > max) {
            throw new Cli.UsageError("'wharf " + name + "' requires at least " + min + " and at most " + max
                    + " arguments");
        }
    }
}
