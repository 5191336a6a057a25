package dev.wharf.cli.command.container;

import dev.wharf.cli.command.PruneCommand;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ContainerPruneResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "container prune")
public final class ContainerPruneCommand extends PruneCommand {

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Override
    protected String warning() {
        return "This will remove all stopped containers.";
    }

    @Override
    protected long prune() {
        ContainerPruneResponse r = TransferApi.of(cli.client()).pruneContainers(Filters.parse(filters));
        print(cli.out(), r);
        return r.spaceReclaimed();
    }

    public static void print(java.io.PrintStream out, ContainerPruneResponse r) {
        printDeleted(out, "Deleted Containers", r.containersDeleted());
    }
}
