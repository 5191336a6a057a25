package dev.wharf.cli.command.compose;

import dev.wharf.cli.Cli;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.compose.run.ComposeException;
import java.util.function.Supplier;

/** A {@code wharf compose} subcommand: a command that also has the compose-level options. */
public abstract class ComposeSubcommand extends WharfCommand {

    ComposeOptions opts;

    void attach(ComposeOptions o) {
        this.opts = o;
    }

    @Override
    protected String name() {
        return "compose " + super.name();
    }

    /** Runs a compose operation; its failure (a ComposeException or bad input) is one line and exit 1. */
    static void orExit(Runnable op) {
        valueOrExit(() -> {
            op.run();
            return null;
        });
    }

    /** {@link #orExit(Runnable)} for an operation with a result. */
    static <T> T valueOrExit(Supplier<T> op) {
        try {
            return op.get();
        } catch (ComposeException | IllegalArgumentException e) {
            throw new Cli.Exit(1, e.getMessage());
        }
    }
}
