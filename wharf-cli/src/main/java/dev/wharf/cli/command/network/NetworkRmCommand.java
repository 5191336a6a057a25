package dev.wharf.cli.command.network;

import dev.wharf.cli.command.EachArg;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.client.ApiException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf network rm [-f] NETWORK...}: prints each removed network as given. */
@Command(name = "network rm")
public final class NetworkRmCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
    boolean force;

    @Parameters(arity = "0..*", paramLabel = "NETWORK")
    List<String> args;

    @Override
    public Integer call() {
        requireAtLeast(args, 1);
        return EachArg.run(cli, args, name -> {
            try {
                cli.client().networks().remove(name);
            } catch (ApiException e) {
                if (force && e.isNotFound()) {
                    return null;
                }
                throw e;
            }
            return name;
        });
    }
}
