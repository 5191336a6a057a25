package dev.wharf.cli.command.network;

import dev.wharf.cli.command.WharfCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network disconnect [-f] NETWORK CONTAINER}. */
@Command(name = "network disconnect")
public final class NetworkDisconnectCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
    boolean force;

    @Parameters(arity = "0..*", paramLabel = "NETWORK CONTAINER")
    List<String> args;

    @Override
    public Integer call() {
        requireExactly(args, 2);
        cli.client().networks().disconnect(args.get(0), args.get(1), force);
        return 0;
    }
}
