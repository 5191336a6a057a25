package dev.wharf.cli.command;

import dev.wharf.cli.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;

/** docker's "Are you sure?" before a prune: prints the warning and reads y/yes from stdin. */
public final class Confirm {

    private Confirm() {
    }

    /** True when the user answered y or yes; anything else (or end of input) means no. */
    public static boolean ask(Cli cli, String warning) {
        cli.out().print("WARNING! " + warning + "\nAre you sure you want to continue? [y/N] ");
        cli.out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
