package dev.wharf.cli.command;

import dev.wharf.cli.format.Units;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every {@code prune} command does alike, as docker's do: no arguments, {@code -f/--force},
 * the "Are you sure?" prompt unless forced, the list of what went and the space reclaimed.
 */
public abstract class PruneCommand extends WharfCommand {

    /** What {@link #prune()} returns when the command prints no "Total reclaimed space" line. */
    protected static final long NO_TOTAL = -1;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public final Integer call() {
        requireNone(args);
        if (!force && !confirmed(warning())) {
            return 0;
        }
        long reclaimed = prune();
        if (reclaimed != NO_TOTAL) {
            cli.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        }
        return 0;
    }

    /** The warning the prompt shows (after "WARNING! "). */
    protected abstract String warning();

    /** Prunes and prints what was removed; returns the bytes reclaimed, or {@link #NO_TOTAL}. */
    protected abstract long prune();

    /** docker's "Are you sure?": prints the warning; true when the user answers y or yes (end of input is no). */
    private boolean confirmed(String warning) {
        cli.out().print("WARNING! " + warning + "\nAre you sure you want to continue? [y/N] ");
        cli.out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "HEADING:", one line per item and a blank line; nothing when nothing went. */
    public static void printDeleted(PrintStream out, String heading, List<String> items) {
        if (items == null || items.isEmpty()) {
            return;
        }
        out.println(heading + ":");
        items.forEach(out::println);
        out.println();
    }
}
