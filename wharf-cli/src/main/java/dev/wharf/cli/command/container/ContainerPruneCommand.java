package dev.wharf.cli.command.container;

import dev.wharf.cli.command.Confirm;
import dev.wharf.cli.command.WharfCommand;
import dev.wharf.cli.format.Units;
import dev.wharf.client.Filters;
import dev.wharf.client.TransferApi;
import dev.wharf.model.container.ContainerPruneResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "container prune")
public final class ContainerPruneCommand extends WharfCommand {

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        requireNone(args);
        if (!force && !Confirm.ask(cli, "This will remove all stopped containers.")) {
            return 0;
        }
        ContainerPruneResponse r = TransferApi.of(cli.client()).pruneContainers(Filters.parse(filters));
        print(cli.out(), r);
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }

    public static void print(java.io.PrintStream out, ContainerPruneResponse r) {
        if (r.containersDeleted() == null || r.containersDeleted().isEmpty()) {
            return;
        }
        out.println("Deleted Containers:");
        r.containersDeleted().forEach(out::println);
        out.println();
    }
}
