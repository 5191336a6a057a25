package dev.wharf.cli.command;

import dev.wharf.cli.Cli;
import java.util.List;
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

    protected String name() {
        return name;
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
