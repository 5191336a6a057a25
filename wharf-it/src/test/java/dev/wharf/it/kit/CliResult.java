package dev.wharf.it.kit;

import java.util.List;

/** What a command-line run showed the user. */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** stdout without the trailing newline(s). */
    public String out() {
        return stdout.stripTrailing();
    }

    public List<String> lines() {
        return stdout.lines().toList();
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout.stripTrailing()
                + "\n  stderr: " + stderr.stripTrailing();
    }
}
