package dev.wharf.cli.command.compose;

import dev.wharf.cli.command.WharfCommand;

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
}
