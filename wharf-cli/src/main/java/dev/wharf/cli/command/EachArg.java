package dev.wharf.cli.command;

import dev.wharf.cli.Cli;
import dev.wharf.client.ApiException;
import java.util.List;

/**
 * docker's pattern for commands over several objects: act on each, print the argument on
 * success, one "Error response from daemon: …" line per failure, and exit 1 if any failed.
 */
public final class EachArg {

    @FunctionalInterface
    public interface Action {
        /** Returns the line to print on success, or null for none. */
        String apply(String arg);
    }

    private EachArg() {
    }

    public static Integer run(Cli cli, List<String> args, Action action) {
        boolean failed = false;
        for (String a : args) {
            try {
                String line = action.apply(a);
                if (line != null) {
                    cli.out().println(line);
                }
            } catch (ApiException e) {
                cli.out().flush();
                cli.err().println(daemonError(e));
                failed = true;
            }
        }
        if (failed) {
            throw new Cli.Exit(1, null);
        }
        return 0;
    }

    public static String daemonError(ApiException e) {
        return "Error response from daemon: " + e.getMessage();
    }
}
