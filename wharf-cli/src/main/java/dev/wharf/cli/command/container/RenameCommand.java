package dev.wharf.cli.command.container;

import dev.wharf.cli.command.WharfCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wharf rename CONTAINER NEW_NAME}. */
@Command(name = "rename")
public final class RenameCommand extends WharfCommand {

    @Parameters(arity = "0..*", paramLabel = "CONTAINER NEW_NAME")
    List<String> args;

    @Override
    public Integer call() {
        if (args == null || args.size() != 2) {
            cli.err().println("\"wharf rename\" requires exactly 2 arguments.");
            return 1;
        }
        try {
            cli.client().containers().rename(args.get(0), args.get(1));
        } catch (dev.wharf.client.ApiException e) {
            cli.err().println(dev.wharf.cli.command.EachArg.daemonError(e));
            cli.err().println("Error: failed to rename container named " + args.get(0));
            return 1;
        }
        return 0;
    }
}
